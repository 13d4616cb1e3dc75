namespace LambdaCluster.Runtimes.Environments;

/// <summary>What the runtime's <c>GET /runtime/invocation/next</c> returns: one event and its headers.</summary>
public sealed record RuntimeEvent(
    string RequestId,
    byte[] Payload,
    long DeadlineMs,
    string InvokedFunctionArn,
    string TraceId,
    string? ClientContext);

namespace LambdaCluster.Runtimes.Invocation;

/// <summary>One event on its way to an execution environment.</summary>
[GenerateSerializer, Immutable, Alias("lambda.invocation-request")]
public sealed record InvocationRequest
{
    [Id(0)] public required string RequestId { get; init; }
    [Id(1)] public required byte[] Payload { get; init; }
    [Id(2)] public required string InvokedFunctionArn { get; init; }
    [Id(3)] public string? ClientContext { get; init; }
    [Id(4)] public required string TraceId { get; init; }
    /// <summary>Whether the caller wants the last 4 KB of this invocation's log back.</summary>
    [Id(5)] public bool WantsLogTail { get; init; }
}

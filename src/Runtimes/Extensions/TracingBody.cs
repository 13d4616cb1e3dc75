namespace LambdaCluster.Runtimes.Extensions;

/// <summary>An INVOKE event's tracing header.</summary>
internal sealed record TracingBody(string Type, string Value);

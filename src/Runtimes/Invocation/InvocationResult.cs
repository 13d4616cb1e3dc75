namespace LambdaCluster.Runtimes.Invocation;

/// <summary>
/// What an invocation produced. <see cref="FunctionError"/> is set (to Lambda's "Unhandled")
/// when <see cref="Payload"/> is an error document rather than the function's result.
/// </summary>
[GenerateSerializer, Immutable, Alias("lambda.invocation-result")]
public sealed record InvocationResult
{
    [Id(0)] public required byte[] Payload { get; init; }
    [Id(1)] public string? FunctionError { get; init; }
    [Id(2)] public string? LogTail { get; init; }
    [Id(3)] public required string ExecutedVersion { get; init; }
    [Id(4)] public string ContentType { get; init; } = "application/json";
    /// <summary>False when the environment was destroyed by this invocation (timeout, crash, init failure).</summary>
    [Id(5)] public bool EnvironmentReusable { get; init; } = true;
    /// <summary>True when the runtime streamed its response (to a streaming caller the bytes went ahead of this result).</summary>
    [Id(6)] public bool Streamed { get; init; }
}

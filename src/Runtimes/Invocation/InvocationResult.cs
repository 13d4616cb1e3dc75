namespace LambdaCluster.Runtimes.Invocation;

/// <summary>
/// How an invocation attempt ended (<see cref="Outcome"/>) and what it produced. For the function outcomes
/// (<see cref="InvocationOutcome.Response"/> up to <see cref="InvocationOutcome.Abandoned"/>) <see cref="Payload"/> is
/// what Lambda returns with status 200, and <see cref="FunctionError"/> is set (to Lambda's "Unhandled") when it is an
/// error document rather than the function's result. The other outcomes carry no payload: the invoker retries them or
/// turns them into Lambda's API errors, with <see cref="FailureMessage"/> as the message.
/// </summary>
[GenerateSerializer, Immutable, Alias("lambda.invocation-result")]
public sealed record InvocationResult
{
    [Id(0)] public required byte[] Payload { get; init; }
    [Id(1)] public string? FunctionError { get; init; }
    [Id(2)] public string? LogTail { get; init; }
    [Id(3)] public required string ExecutedVersion { get; init; }
    [Id(4)] public string ContentType { get; init; } = "application/json";
    /// <summary>True when the runtime streamed its response (to a streaming caller the bytes went ahead of this result).</summary>
    [Id(6)] public bool Streamed { get; init; }
    [Id(7)] public InvocationOutcome Outcome { get; init; }
    [Id(8)] public PlatformFailureReason FailureReason { get; init; }
    /// <summary>Lambda's throttle Reason for <see cref="InvocationOutcome.Throttled"/>; the error message for NotFound and PlatformFailure.</summary>
    [Id(9)] public string? FailureMessage { get; init; }

    /// <summary>False when the environment was destroyed by this attempt (timeout, crash, init failure, caller gone, platform fault).</summary>
    public bool EnvironmentReusable => Outcome is InvocationOutcome.Response or InvocationOutcome.FunctionError or InvocationOutcome.ResponseTooLarge;

    /// <summary>An attempt that ended before any environment ran it: throttled, not found, or a platform failure.</summary>
    public static InvocationResult Failed(InvocationOutcome outcome, string executedVersion, string? message, PlatformFailureReason reason = PlatformFailureReason.None) => new()
    {
        Payload = [],
        ExecutedVersion = executedVersion,
        Outcome = outcome,
        FailureReason = reason,
        FailureMessage = message,
    };
}

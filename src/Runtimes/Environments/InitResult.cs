using LambdaCluster.Runtimes.Invocation;

namespace LambdaCluster.Runtimes.Environments;

/// <summary>How INIT went: ready (<see cref="Outcome"/> null, with its duration), failed the way Lambda reports (an error type and document), or never ran for the platform's reason.</summary>
internal readonly record struct InitResult(InvocationOutcome? Outcome, double DurationMs, string? ErrorType, byte[]? Body, PlatformFailureReason FailureReason, string? Message)
{
    public static InitResult Abandoned => new(InvocationOutcome.Abandoned, 0, null, null, PlatformFailureReason.None, null);

    public static InitResult Ready(double durationMs) => new(null, durationMs, null, null, PlatformFailureReason.None, null);

    public static InitResult Failed(string errorType, byte[] body, double durationMs) => new(InvocationOutcome.InitFailed, durationMs, errorType, body, PlatformFailureReason.None, null);

    public static InitResult Platform(PlatformFailureReason reason, string message) => new(InvocationOutcome.PlatformFailure, 0, null, null, reason, message);
}

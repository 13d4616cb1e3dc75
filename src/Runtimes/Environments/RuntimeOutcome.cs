namespace LambdaCluster.Runtimes.Environments;

/// <summary>How one invocation ended as the environment sees it, before it becomes an <see cref="Invocation.InvocationOutcome"/>.</summary>
internal abstract record RuntimeOutcome
{
    /// <summary>The runtime posted a response.</summary>
    public sealed record Response(byte[] Body, string ContentType) : RuntimeOutcome;

    /// <summary>The runtime posted an invocation error.</summary>
    public sealed record FunctionError(string ErrorType, byte[] Body) : RuntimeOutcome;

    /// <summary>The runtime's response exceeded Lambda's limit.</summary>
    public sealed record ResponseTooLarge(long Size, long Limit) : RuntimeOutcome;

    /// <summary>
    /// The process ended before answering. <paramref name="StoppedBy"/>: the platform killed it (its node stopping, say)
    /// and why, so the ending is not the function's: logged as Lambda logs a killed runtime, answered as a platform failure.
    /// </summary>
    public sealed record Exited(string How, string? StoppedBy = null) : RuntimeOutcome;

    /// <summary>The process ended (or was stopped) before the runtime took the event from <c>/next</c>: nothing ran.</summary>
    public sealed record Undelivered(string How) : RuntimeOutcome;

    /// <summary>The caller went away before the response was complete.</summary>
    public sealed record Abandoned : RuntimeOutcome;

    /// <summary>An extension crashed or reported an error (<c>Extension.Crash</c>, <c>Extension.ExitError</c>…): the environment is reset.</summary>
    public sealed record ExtensionFailed(string ErrorType, string Message) : RuntimeOutcome;

    /// <summary>The deadline passed.</summary>
    public sealed record TimedOut : RuntimeOutcome;
}

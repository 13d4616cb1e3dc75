namespace LambdaCluster.Runtimes.Invocation;

/// <summary>
/// How one invocation attempt ended: the closed set every caller maps to Lambda's answers. The first five are
/// what Lambda returns with status 200 (the last four with <c>X-Amz-Function-Error: Unhandled</c>); the rest never
/// reach the client as a function result: the invoker retries or turns them into Lambda's API errors.
/// </summary>
public enum InvocationOutcome
{
    /// <summary>The runtime posted a response (buffered or streamed).</summary>
    Response,

    /// <summary>The runtime posted an invocation error; the payload is its error document.</summary>
    FunctionError,

    /// <summary>The response went over Lambda's limit: <c>Function.ResponseSizeTooLarge</c>.</summary>
    ResponseTooLarge,

    /// <summary>The runtime process ended before answering: <c>Runtime.ExitError</c>. The environment is gone.</summary>
    Exited,

    /// <summary>The function's timeout passed: <c>Sandbox.Timedout</c>. The environment is gone.</summary>
    TimedOut,

    /// <summary>The INIT phase failed (init error, crash, INIT timeout, no valid entrypoint). The environment is gone.</summary>
    InitFailed,

    /// <summary>The caller went away before the answer was complete; the function was stopped with its environment.</summary>
    Abandoned,

    /// <summary>No environment was granted: a concurrency limit or the scaling rate (<see cref="InvocationResult.FailureMessage"/> holds Lambda's Reason).</summary>
    Throttled,

    /// <summary>The function or version does not exist (any more).</summary>
    NotFound,

    /// <summary>The platform failed the invocation; <see cref="InvocationResult.FailureReason"/> says how and whether anything ran.</summary>
    PlatformFailure,
}

namespace LambdaCluster.Runtimes.Environments;

/// <summary>Where the current invocation is while an environment is <see cref="EnvironmentState.Invoking"/>.</summary>
public enum InvocationStage
{
    /// <summary>No invocation (the environment is not Invoking).</summary>
    None,

    /// <summary>The event waits for the runtime's <c>GET /next</c>.</summary>
    Queued,

    /// <summary>The runtime has the event and has not answered yet.</summary>
    Running,

    /// <summary>The runtime is streaming its response (<c>Lambda-Runtime-Function-Response-Mode: streaming</c>).</summary>
    Streaming,

    /// <summary>The runtime answered (response or error); the platform is writing END and REPORT. The runtime may already park on <c>/next</c>.</summary>
    Answered,
}

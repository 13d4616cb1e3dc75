namespace LambdaCluster.Runtimes.Environments;

/// <summary>What moves an environment from one state to another (<see cref="EnvironmentStateMachine"/>).</summary>
public enum EnvironmentTrigger
{
    /// <summary>The process is being started for INIT.</summary>
    Launch,

    /// <summary>The runtime's first <c>GET /next</c>: INIT is over.</summary>
    RuntimeReady,

    /// <summary>An event is queued for the runtime.</summary>
    Invoke,

    /// <summary>The runtime's <c>GET /next</c> received the queued event.</summary>
    EventTaken,

    /// <summary>The runtime began a streamed <c>/response</c>.</summary>
    StreamStarted,

    /// <summary>The runtime posted its response or error (or its streamed body ended).</summary>
    Answer,

    /// <summary>END and REPORT are written: the environment is ready for the next event.</summary>
    Finish,

    /// <summary>The environment stops for good: INIT failed, the process exited, a timeout, a caller gone, a shutdown.</summary>
    Fail,
}

namespace LambdaCluster.Runtimes.Environments;

/// <summary>
/// The life of an execution environment. Paths that later launchers add (a restore from a snapshot
/// instead of INIT) enter at <see cref="Initializing"/>'s place and leave to <see cref="Idle"/> the same way.
/// </summary>
public enum EnvironmentState
{
    /// <summary>Known, but no process yet.</summary>
    Created,

    /// <summary>The process is starting and running INIT; ends when the runtime first asks for an event.</summary>
    Initializing,

    /// <summary>Warm: the runtime is parked on <c>/next</c>, ready for one event.</summary>
    Idle,

    /// <summary>One event is being handled.</summary>
    Invoking,

    /// <summary>Gone: shut down, timed out, crashed or failed INIT. Never leaves this state.</summary>
    Dead,
}

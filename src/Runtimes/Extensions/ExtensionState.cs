namespace LambdaCluster.Runtimes.Extensions;

/// <summary>
/// Where one extension is in its lifecycle, named as Lambda names the states (the Runtime Interface Emulator's
/// core/agent_state_names.go), which the <c>EXTENSION</c> log line and the Extensions API's errors show.
/// </summary>
internal enum ExtensionState
{
    /// <summary>An external extension's process was started; it has not registered yet.</summary>
    Started,

    /// <summary>Registered; it has not asked for its first event yet.</summary>
    Registered,

    /// <summary>Waiting for its next event (<c>GET /extension/event/next</c>).</summary>
    Ready,

    /// <summary>Handling an event it was given; it calls <c>event/next</c> again when done.</summary>
    Running,

    /// <summary>It posted <c>/extension/init/error</c>.</summary>
    InitError,

    /// <summary>It posted <c>/extension/exit/error</c>.</summary>
    ExitError,

    /// <summary>Its process ended.</summary>
    Exited,
}

namespace LambdaCluster.Tests.Support.Fakes;

/// <summary>The ways a test can make an environment's start or run fail on purpose (<see cref="Faults"/>).</summary>
public enum Fault
{
    /// <summary>Reading the function's package throws (an I/O error on the node).</summary>
    CodeStoreThrows,

    /// <summary>The function's package is not in the store (a missing blob).</summary>
    BlobMissing,

    /// <summary>The launcher throws instead of starting a process (a bug, exec failing).</summary>
    LauncherThrows,

    /// <summary>The process starts but never asks the Runtime API for an event.</summary>
    NeverAsksForEvent,

    /// <summary>The process exits during INIT.</summary>
    CrashesInInit,

    /// <summary>The process takes the event from the Runtime API, then exits without answering.</summary>
    ExitsAfterTakingEvent,
}

namespace LambdaCluster.Runtimes.Launch;

/// <summary>A running environment's process tree, as its owner sees it.</summary>
public interface IEnvironmentProcess : IDisposable
{
    int Pid { get; }

    /// <summary>Completes when the root process has exited, with Lambda's description of how ("exit status 1", "signal: killed").</summary>
    Task<string> Exited { get; }

    /// <summary>Delivers every output line written before this call.</summary>
    void DrainOutput();

    /// <summary>Stops the whole tree at once. Safe to call repeatedly and after exit.</summary>
    void Kill();

    /// <summary>Peak resident memory of the tree so far, in MB.</summary>
    int MaxMemoryUsedMb();

    /// <summary>INIT (or a restore) is over: the tree's CPU weight drops from INIT's burst to its memory's share (<see cref="Sandbox.ResourceLimits"/>).</summary>
    void EndInitBurst();
}

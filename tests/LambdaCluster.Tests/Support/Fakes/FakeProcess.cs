using LambdaCluster.Runtimes.Launch;

namespace LambdaCluster.Tests.Support.Fakes;

/// <summary>A process that exists only in the test: it exits when the test (or a kill) says so.</summary>
public sealed class FakeProcess(int pid) : IEnvironmentProcess
{
    private readonly TaskCompletionSource<string> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Pid { get; } = pid;

    public Task<string> Exited => _exited.Task;

    public bool Killed { get; private set; }

    public bool Disposed { get; private set; }

    public void Exit(string how) => _exited.TrySetResult(how);

    public void DrainOutput()
    {
    }

    public void Kill()
    {
        Killed = true;
        _exited.TrySetResult("signal: killed");
    }

    public int MaxMemoryUsedMb() => 42;

    /// <summary>True once the environment said its INIT (or restore) is over.</summary>
    public bool InitBurstEnded { get; private set; }

    public void EndInitBurst() => InitBurstEnded = true;

    public void Dispose()
    {
        Disposed = true;
        Kill();
    }
}

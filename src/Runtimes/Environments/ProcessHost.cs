using LambdaCluster.Runtimes.Launch;

namespace LambdaCluster.Runtimes.Environments;

/// <summary>
/// The process tree of one environment, over <see cref="IEnvironmentLauncher"/>: launches it, passes its output lines
/// on, watches it exit, drains its output and kills it. This is the seam the sandbox and snapshot launchers extend.
/// <see cref="Kill"/> and <see cref="Dispose"/> are idempotent and safe before a launch; a launch after
/// <see cref="Dispose"/> kills what it started at once.
/// </summary>
internal sealed class ProcessHost(IEnvironmentLauncher launcher) : IDisposable
{
    private readonly TaskCompletionSource<string> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IEnvironmentProcess? _process;
    private volatile bool _disposed;

    /// <summary>The root process id, or 0 before the launch.</summary>
    public int Pid => Volatile.Read(ref _process)?.Pid ?? 0;

    /// <summary>Completes when the root process has exited, with Lambda's description of how ("exit status 1", "signal: killed").</summary>
    public Task<string> Exited => _exited.Task;

    /// <summary>Starts the process tree; throws what the launcher throws when it cannot.</summary>
    public void Launch(LaunchRequest request, Action<string> onOutputLine)
    {
        Adopt(launcher.Launch(request, onOutputLine));
    }

    /// <summary>
    /// Takes a process tree that came to life another way (a fork of a SnapStart template) as this host's own, as
    /// <see cref="Launch"/> would.
    /// </summary>
    public void Adopt(IEnvironmentProcess process)
    {
        Volatile.Write(ref _process, process);
        process.Exited.ContinueWith(
            static (exited, state) => ((TaskCompletionSource<string>)state!).TrySetResult(exited.IsCompletedSuccessfully ? exited.Result : "exit status unknown"),
            _exited, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        if (_disposed)
        {
            process.Dispose();
        }
    }

    /// <summary>The process tree, once launched or adopted.</summary>
    public IEnvironmentProcess? Process => Volatile.Read(ref _process);

    /// <summary>Passes on every output line written before this call.</summary>
    public void Drain() => Volatile.Read(ref _process)?.DrainOutput();

    /// <summary>Stops the whole tree at once.</summary>
    public void Kill() => Volatile.Read(ref _process)?.Kill();

    /// <summary>Peak resident memory of the tree so far, in MB (0 before the launch).</summary>
    public int MaxMemoryUsedMb() => Volatile.Read(ref _process)?.MaxMemoryUsedMb() ?? 0;

    /// <summary>INIT is over: the tree's CPU weight drops to its memory's share.</summary>
    public void EndInitBurst() => Volatile.Read(ref _process)?.EndInitBurst();

    public void Dispose()
    {
        _disposed = true;
        Volatile.Read(ref _process)?.Dispose();
    }
}

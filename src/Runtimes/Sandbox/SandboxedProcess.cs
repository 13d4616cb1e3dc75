using LambdaCluster.Runtimes.Launch;

namespace LambdaCluster.Runtimes.Sandbox;

/// <summary>
/// A sandboxed environment's process tree: the bubblewrap process (whose death takes the sandbox with it) and the
/// control group every process of the sandbox is born in, which bounds it, measures its peak memory and kills it whole.
/// </summary>
internal sealed class SandboxedProcess : IEnvironmentProcess
{
    private const long Megabyte = 1024 * 1024;
    private readonly PlainEnvironmentProcess _process;
    private readonly ControlGroup _group;
    private readonly string _files;
    private readonly IDisposable? _network;

    /// <summary>
    /// Owns <paramref name="process"/>, its control group, <paramref name="files"/> (its /etc/passwd and /etc/group) and
    /// <paramref name="network"/> (its subnet attachment, if any), all removed with it.
    /// </summary>
    public SandboxedProcess(PlainEnvironmentProcess process, ControlGroup group, string files, IDisposable? network = null)
    {
        _process = process;
        _group = group;
        _files = files;
        _network = network;
        // The group outlives the root process until its last member is gone (and the peak memory is read).
        Exited = process.Exited;
    }

    public int Pid => _process.Pid;

    /// <summary>The sandbox's control group (a SnapStart template's forks are found among its members).</summary>
    public ControlGroup Group => _group;

    public Task<string> Exited { get; }

    public void DrainOutput() => _process.DrainOutput();

    public void Kill()
    {
        _group.KillAll();
        _process.Kill();
    }

    /// <summary>The control group's peak memory, in MB: what the kernel charged to the sandbox, its page cache and /tmp included.</summary>
    public int MaxMemoryUsedMb() => (int)Math.Max(1, (_group.PeakMemoryBytes() + Megabyte - 1) / Megabyte);

    public void EndInitBurst() => _group.EndInitBurst();

    public void Dispose()
    {
        Kill();
        _process.Dispose();
        _ = _group.DeleteAsync();
        _network?.Dispose();
        try
        {
            Directory.Delete(_files, recursive: true);
        }
        catch (IOException)
        {
            // Already gone with the data directory.
        }
    }
}

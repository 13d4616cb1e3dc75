using System.Globalization;
using LambdaCluster.Runtimes.Launch;
using Microsoft.Win32.SafeHandles;

namespace LambdaCluster.Runtimes.Sandbox;

/// <summary>
/// One environment's control group: a directory in each v1 hierarchy it is limited by (memory, pids, cpu), or one
/// directory of the v2 hierarchy. Made by <see cref="ControlGroupHierarchy.Create"/>; the environment's root process
/// joins it before it becomes the runtime, so everything it starts is born inside.
/// </summary>
public sealed class ControlGroup
{
    private readonly IReadOnlyList<string> _directories;
    private readonly string _peakFile;
    private readonly string _procsFile;
    private readonly string? _killFile;
    private SafeFileHandle? _peak;
    private readonly string? _cpuFile;
    private string? _steadyCpu;

    /// <param name="steadyCpu">The CPU weight file and the value it gets when INIT ends (<see cref="EndInitBurst"/>); null without the cpu controller.</param>
    internal ControlGroup(IReadOnlyList<string> directories, string peakFile, string procsFile, string? killFile, (string File, string Value)? steadyCpu = null)
    {
        _directories = directories;
        _peakFile = peakFile;
        _procsFile = procsFile;
        _killFile = killFile;
        (_cpuFile, _steadyCpu) = (steadyCpu?.File, steadyCpu?.Value);
    }

    /// <summary>The <c>cgroup.procs</c> file of every directory: a process joins the group by writing its pid to each.</summary>
    public IReadOnlyList<string> ProcFiles => [.. _directories.Select(d => Path.Combine(d, "cgroup.procs"))];

    /// <summary>
    /// Highest memory use so far, in bytes (v1 <c>memory.max_usage_in_bytes</c>, v2 <c>memory.peak</c>): what Lambda
    /// reports as Max Memory Used. 0 when the group is gone. Read for every invocation's REPORT, so the file is opened
    /// once and read again at offset 0 (the kernel formats it afresh for each read): one pread, no allocation, where
    /// opening, reading and closing it each time cost the silo about 0.1 ms per call on this project's test machine.
    /// </summary>
    public long PeakMemoryBytes()
    {
        try
        {
            var handle = _peak;
            if (handle is null)
            {
                var opened = File.OpenHandle(_peakFile, FileMode.Open, FileAccess.Read);
                handle = Interlocked.CompareExchange(ref _peak, opened, null) ?? opened;
                if (!ReferenceEquals(handle, opened))
                {
                    opened.Dispose(); // another read opened it first
                }
            }

            Span<byte> text = stackalloc byte[32];
            var read = RandomAccess.Read(handle, text, fileOffset: 0);
            return long.TryParse(text[..read], NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out var bytes) ? bytes : 0;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            return 0; // the group is gone (or being removed)
        }
    }

    /// <summary>
    /// INIT is over: the group's CPU weight drops from INIT's burst to its memory's share (<see cref="ResourceLimits"/>).
    /// Once only; nothing when the group has no cpu controller or is gone. Never throws: a weight left high is no failure.
    /// </summary>
    public void EndInitBurst()
    {
        if (Interlocked.Exchange(ref _steadyCpu, null) is { } value && _cpuFile is not null)
        {
            try
            {
                File.WriteAllText(_cpuFile, value);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The group is gone (or being removed).
            }
        }
    }

    /// <summary>The pids of the group's processes (host view); empty when the group is gone.</summary>
    public IReadOnlyList<int> Members()
    {
        try
        {
            return [.. File.ReadAllLines(_procsFile).Select(l => int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0).Where(p => p > 0)];
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>
    /// Moves a running process into the group (each hierarchy's cgroup.procs): what it starts from then on is born
    /// inside, and its new memory is charged here. Throws IOException when the process or the group is gone.
    /// </summary>
    public void Adopt(int pid)
    {
        foreach (var procs in ProcFiles)
        {
            File.WriteAllText(procs, pid.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Kills every process in the group at once (v2 <c>cgroup.kill</c>; v1 SIGKILL to each member, repeated while forks race it).</summary>
    public void KillAll()
    {
        try
        {
            if (_killFile is not null && File.Exists(_killFile))
            {
                File.WriteAllText(_killFile, "1");
                return;
            }

            for (var round = 0; round < 8; round++)
            {
                var members = File.ReadAllLines(_procsFile);
                if (members.Length == 0)
                {
                    return;
                }

                foreach (var member in members)
                {
                    if (int.TryParse(member, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                    {
                        LibC.kill(pid, LibC.SigKill);
                    }
                }
            }
        }
        catch (IOException)
        {
            // The group is already gone.
        }
    }

    /// <summary>Removes the group's directories; false while a member is still alive (a directory with members cannot be removed).</summary>
    public bool TryDelete()
    {
        Interlocked.Exchange(ref _peak, null)?.Dispose();
        var deleted = true;
        foreach (var directory in _directories)
        {
            try
            {
                if (Directory.Exists(directory))
                {
                    Directory.Delete(directory);
                }
            }
            catch (IOException)
            {
                deleted = false;
            }
        }

        return deleted;
    }

    /// <summary>Kills the members and removes the group once they are gone, retrying for a few seconds (exits take a moment).</summary>
    public async Task DeleteAsync()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            KillAll();
            if (TryDelete())
            {
                return;
            }

            await Task.Delay(100);
        }
    }
}

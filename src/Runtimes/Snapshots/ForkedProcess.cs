using System.Globalization;
using System.Runtime.InteropServices;
using LambdaCluster.Runtimes.Launch;
using LambdaCluster.Runtimes.Sandbox;

namespace LambdaCluster.Runtimes.Snapshots;

/// <summary>
/// An environment's process forked from a SnapStart template, as its environment sees it. Its output comes through a
/// named pipe the node made for it (the fork puts it on its stdout and stderr), read by the same pump as a launched
/// process's, so <see cref="DrainOutput"/> still takes everything written before an answer. The process is not the
/// node's child: it becomes known when it checks in on its Runtime API (<see cref="Attach"/>), is watched through a
/// pidfd, and its exit status is read while it is a zombie of the template, which then reaps it on the node's order.
/// </summary>
internal sealed class ForkedProcess : IEnvironmentProcess
{
    private const long Megabyte = 1024 * 1024;
    private readonly SnapshotTemplate _template;
    private readonly string _environmentId;
    private readonly int _port;
    private readonly ForkConfinement? _confinement;
    private readonly string _pipe;
    private readonly int _fd;
    private readonly OutputPump _pump;
    private readonly TaskCompletionSource<string> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private ControlGroup? _group;
    private int _namespacePid;
    private bool _killed;
    private bool _allowed;
    private bool _closed;
    private int _ended;

    /// <summary>
    /// Opens the fork's Runtime API port to the template's user (sandboxed), then makes its output pipe. Throws when it
    /// cannot, having undone what it did.
    /// </summary>
    public ForkedProcess(SnapshotTemplate template, string environmentId, int runtimeApiPort, ForkConfinement? confinement, Action<string> onOutputLine)
    {
        _template = template;
        _environmentId = environmentId;
        _port = runtimeApiPort;
        _confinement = confinement;
        _pipe = Path.Combine(template.ForkDirectory, environmentId);
        if (confinement?.Sandboxed == true)
        {
            confinement.Allow(template.RuntimeApiPort, runtimeApiPort);
            _allowed = true;
        }

        template.ForkStarted();
        try
        {
            if (LibC.mkfifo(_pipe, Convert.ToUInt32("600", 8)) != 0)
            {
                throw new IOException($"mkfifo {_pipe}: error {Marshal.GetLastPInvokeError()}");
            }

            // The fork runs as the template's user; only it (and the node) may open the pipe.
            if (template.User is { } user)
            {
                LibC.chown(_pipe, user, user);
            }

            // Read and write: the node holding the write side too means the pipe never reads as ended between writers.
            _fd = LibC.open(_pipe, LibC.ORdWr | LibC.ONonBlock | LibC.OCloExec);
            if (_fd < 0)
            {
                throw new IOException($"open {_pipe}: error {Marshal.GetLastPInvokeError()}");
            }
        }
        catch
        {
            TryDelete(_pipe);
            EndRule();
            throw;
        }

        _pump = new OutputPump(_fd, onOutputLine);
    }

    /// <summary>The host pid once the fork checked in (0 before).</summary>
    public int Pid { get; private set; }

    public Task<string> Exited => _exited.Task;

    /// <summary>What the template is told: fork onto this Runtime API, with this output pipe (the template's view of the path).</summary>
    public TemplateOrder Order => new(string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{_port}"), _template.ForkPipePath(_environmentId), null);

    /// <summary>
    /// The fork checked in from inside the template as <paramref name="namespacePid"/> (in a sandbox, the process that
    /// waits for its runtime <paramref name="runtimeNamespacePid"/>, PID 1 of namespaces of its own): find them on the
    /// host, move them into the environment's control group (sandboxed), and watch the fork exit. False when it is not
    /// the template's (or is already gone).
    /// </summary>
    public bool Attach(int namespacePid, int? runtimeNamespacePid = null)
    {
        if (_template.HostPid(namespacePid) is not { } pid)
        {
            return false;
        }

        int? runtimePid = null;
        if (runtimeNamespacePid is { } runtimeNs && (runtimePid = _template.HostPid(runtimeNs)) is null)
        {
            return false;
        }

        lock (_gate)
        {
            if (Pid != 0)
            {
                return false; // checked in already
            }

            if (_confinement?.Sandboxed == true)
            {
                try
                {
                    _group = _confinement.CreateGroup(_environmentId, _template.Spec);
                    _group.Adopt(pid);
                    if (runtimePid is { } runtime)
                    {
                        _group.Adopt(runtime); // a spare made ahead: its runtime exists already (what it starts from now on is born here)
                    }
                }
                catch (IOException)
                {
                    return false; // gone meanwhile: the restore ends as the fork's exit
                }
            }

            Pid = pid;
            _namespacePid = namespacePid;
            if (_killed)
            {
                KillLocked();
            }
        }

        var pidfd = LibC.PidfdOpen(pid);
        var watcher = new Thread(() => WatchExit(pidfd), 64 * 1024) { IsBackground = true, Name = "fork-exit" };
        watcher.Start();
        return true;
    }

    public void DrainOutput()
    {
        lock (_gate)
        {
            if (!_closed)
            {
                _pump.Drain();
            }
        }
    }

    public void Kill()
    {
        lock (_gate)
        {
            _killed = true;
            KillLocked();
        }
    }

    /// <summary>The fork's control group's peak (what its own pages cost: the template's shared ones are charged to the template), or its tree's peak unconfined.</summary>
    public int MaxMemoryUsedMb() =>
        _group is { } group ? (int)Math.Max(1, (group.PeakMemoryBytes() + Megabyte - 1) / Megabyte)
        : Pid != 0 ? ProcessTreeMemory.PeakMegabytes(Pid) : 0;

    /// <summary>The restore is over: the fork's control group (made when it checked in) drops to its memory's CPU share.</summary>
    public void EndInitBurst() => Volatile.Read(ref _group)?.EndInitBurst();

    public void Dispose()
    {
        Kill();
        _pump.Dispose();
        // The pipe is closed once the pump's thread has stopped reading it: its number must not be reused under the pump.
        _ = _pump.Ended.ContinueWith(_ =>
        {
            lock (_gate)
            {
                _closed = true;
                LibC.close(_fd);
            }
        }, TaskScheduler.Default);
        TryDelete(_pipe);
        _ = _group?.DeleteAsync();
        EndRule();
        _exited.TrySetResult("signal: killed");
    }

    /// <summary>Takes the network rule back (once), and tells the template this fork is gone.</summary>
    private void EndRule()
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }

        if (_allowed)
        {
            _confinement!.Revoke(_template.RuntimeApiPort, _port);
        }

        _template.ForkEnded();
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The template's folder went first.
        }
    }

    private void KillLocked()
    {
        if (_group is not null)
        {
            _group.KillAll();
        }
        else if (Pid != 0 && !_exited.Task.IsCompleted) // once it exited (and was reaped) its pid may be another process's
        {
            LibC.kill(-Pid, LibC.SigKill); // unconfined, the fork leads a session (and process group) of its own
            LibC.kill(Pid, LibC.SigKill);
        }
    }

    private unsafe void WatchExit(int pidfd)
    {
        if (pidfd >= 0)
        {
            var poll = new LibC.PollFd { Fd = pidfd, Events = LibC.PollIn };
            while (LibC.poll(&poll, 1, -1) < 0 && Marshal.GetLastPInvokeError() == 4)
            {
                // EINTR: wait again.
            }

            LibC.close(pidfd);
        }

        var how = ExitStatus(Pid);
        DrainOutput(); // what it wrote last belongs before its exit is reported
        lock (_gate)
        {
            _exited.TrySetResult(how); // before the reap: no kill may reach its pid afterwards
        }

        _template.Order(new TemplateOrder(null, null, _namespacePid));
    }

    /// <summary>
    /// How the fork ended, from its zombie's /proc stat (exit_code, the last field, a wait status), in Lambda's words;
    /// "signal: killed" when it is already reaped.
    /// </summary>
    internal static string ExitStatus(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var status = int.Parse(fields[^1], CultureInfo.InvariantCulture);
            return (status & 0x7f) == 0 ? PlainEnvironmentProcess.Describe((status >> 8) & 0xff) : PlainEnvironmentProcess.Describe(128 + (status & 0x7f));
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException)
        {
            return "signal: killed";
        }
    }
}

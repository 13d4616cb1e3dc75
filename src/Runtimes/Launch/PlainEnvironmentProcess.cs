using System.Diagnostics;
using System.IO.Pipes;

namespace LambdaCluster.Runtimes.Launch;

/// <summary>A plain child process and the pump that reads its output.</summary>
internal sealed class PlainEnvironmentProcess : IEnvironmentProcess
{
    private readonly Process _process;
    private readonly bool _killsTree;
    private readonly OutputPump _pump;
    private readonly TimeProvider _time;
    private long _sampledAt;
    private int _peakMb;

    /// <param name="killsTree">
    /// Whether <see cref="Kill"/> walks the machine's process table for the root's descendants (a plain process's
    /// children are found no other way); false where something else takes them down (a sandbox's control group), as
    /// the walk reads every process's /proc stat file and costs O(processes) per kill.
    /// </param>
    public PlainEnvironmentProcess(Process process, Action<string> onOutputLine, TimeProvider time, bool killsTree = true)
    {
        _process = process;
        _killsTree = killsTree;
        _time = time;
        var pipe = (PipeStream)process.StandardOutput.BaseStream;
        _pump = new OutputPump((int)pipe.SafePipeHandle.DangerousGetHandle(), onOutputLine);
        Pid = process.Id;
        Exited = WaitForExitAsync();
    }

    public int Pid { get; }

    public Task<string> Exited { get; }

    public void DrainOutput() => _pump.Drain();

    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: _killsTree);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    /// <summary>
    /// The tree's peak resident memory, re-read from /proc at most once a second: walking the tree opens a file
    /// per thread, which cost a tenth of the node's CPU when done on every invocation. Peaks only grow, so the
    /// figure is at most a second stale.
    /// </summary>
    public int MaxMemoryUsedMb()
    {
        if (_peakMb == 0 || _time.GetElapsedTime(_sampledAt) >= TimeSpan.FromSeconds(1))
        {
            _peakMb = Math.Max(_peakMb, ProcessTreeMemory.PeakMegabytes(Pid));
            _sampledAt = _time.GetTimestamp();
        }

        return _peakMb;
    }

    /// <summary>Nothing: an unconfined process has no control group, and so no CPU weight of its own.</summary>
    public void EndInitBurst()
    {
    }

    public void Dispose()
    {
        Kill();
        _pump.Dispose();
        _process.Dispose();
    }

    private async Task<string> WaitForExitAsync()
    {
        await _process.WaitForExitAsync();
        // Give the pipe a moment to deliver what the process wrote last (children may still hold it open).
        await Task.WhenAny(_pump.Ended, Task.Delay(200));
        _pump.Drain();
        return Describe(_process.ExitCode);
    }

    /// <summary>How Lambda words a process exit in Runtime.ExitError messages.</summary>
    internal static string Describe(int exitCode) => exitCode switch
    {
        > 128 and < 160 => $"signal: {SignalName(exitCode - 128)}",
        _ => $"exit status {exitCode}",
    };

    private static string SignalName(int signal) => signal switch
    {
        1 => "hangup",
        2 => "interrupt",
        6 => "aborted",
        9 => "killed",
        11 => "segmentation fault",
        15 => "terminated",
        _ => $"signal {signal}",
    };
}

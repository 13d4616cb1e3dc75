using System.Diagnostics;

namespace LambdaCluster.Runtimes.Launch;

/// <summary>Starts the root process of an environment through /bin/sh, the one way both launchers start one.</summary>
internal static class RuntimeProcess
{
    /// <summary>
    /// /bin/sh writes its own pid into each control group's <c>cgroup.procs</c> (so the limits hold from the first
    /// instruction of the runtime, and every child is born inside them), joins stderr to stdout (the order of lines is
    /// the order they were written), asks the kernel to kill it before the node when the machine runs out of memory
    /// (oom_score_adj 1000), then becomes the command (exec): the root pid is the command's.
    /// </summary>
    private const string Script = "IFS=:; for f in $0; do echo $$ > \"$f\" || exit 125; done; unset IFS; echo 1000 > /proc/self/oom_score_adj; exec \"$@\" 2>&1";

    /// <summary>
    /// Starts <paramref name="command"/> (executable first) with exactly <paramref name="environment"/>; stdin is closed.
    /// With <paramref name="batchScheduling"/> the process and all it starts run under SCHED_BATCH.
    /// </summary>
    public static Process Start(IReadOnlyList<string> command, string workingDirectory, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> controlGroupProcFiles, bool batchScheduling)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(string.Join(':', controlGroupProcFiles));
        foreach (var argument in command)
        {
            start.ArgumentList.Add(argument);
        }

        // The node's own environment is never inherited (it would leak the node's configuration).
        start.Environment.Clear();
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = SpawnThread.Start(() => Process.Start(start) ?? throw new InvalidOperationException("The runtime process did not start."), batchScheduling);
        process.StandardInput.Close();
        return process;
    }
}

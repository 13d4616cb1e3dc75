using System.Globalization;
using LambdaCluster.Runtimes.Launch;
using Xunit;

namespace LambdaCluster.Tests.Unit.Runtimes.Environments;

/// <summary>
/// An environment's root process starts under SCHED_BATCH when asked (Environments:BatchScheduling, the default) and under
/// SCHED_OTHER when not, whatever the spawning thread started before it; what it starts inherits the policy (fork).
/// </summary>
[Trait("Category", "Unit")]
public sealed class RuntimeProcessTests
{
    [Fact]
    public void BatchScheduling_SetsTheProcessAndItsChildrenPolicy_AndOnlyWhenAsked()
    {
        var directory = Path.GetTempPath();
        // The root starts a child and prints the child's /proc/PID/stat: the child exists once $! is set.
        var batch = RuntimeProcess.Start(["/bin/sh", "-c", "sleep 30 & cat /proc/$!/stat; wait"], directory, new Dictionary<string, string>(), [], batchScheduling: true);
        var other = RuntimeProcess.Start(["/bin/sleep", "30"], directory, new Dictionary<string, string>(), [], batchScheduling: false);
        try
        {
            Assert.Equal(LibC.SchedBatch, Policy(File.ReadAllText($"/proc/{batch.Id}/stat")));
            Assert.Equal(LibC.SchedOther, Policy(File.ReadAllText($"/proc/{other.Id}/stat")));
            Assert.Equal(LibC.SchedBatch, Policy(batch.StandardOutput.ReadLine() ?? ""));
        }
        finally
        {
            foreach (var process in new[] { batch, other })
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                process.Dispose();
            }
        }
    }

    [Fact]
    public void BatchSchedulingProbe_FindsItPermitted_WhereTheSpawnerGetsIt()
    {
        // Any thread may move itself from SCHED_OTHER to SCHED_BATCH (sched(7)); only a filter (seccomp) refuses it, and
        // the node then says so at start (IsolationReport). The test above shows the spawner got it on this kernel.
        Assert.Null(SpawnThread.BatchSchedulingRefusal());
    }

    /// <summary>Field 41 of a /proc/PID/stat line (proc(5)): the scheduling policy.</summary>
    private static int Policy(string stat)
    {
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[41 - 3], CultureInfo.InvariantCulture);
    }
}

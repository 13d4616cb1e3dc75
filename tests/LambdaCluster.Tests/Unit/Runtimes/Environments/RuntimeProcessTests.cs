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
        var batch = RuntimeProcess.Start(["/bin/sh", "-c", "sleep 30 & wait"], directory, new Dictionary<string, string>(), [], batchScheduling: true);
        var other = RuntimeProcess.Start(["/bin/sleep", "30"], directory, new Dictionary<string, string>(), [], batchScheduling: false);
        try
        {
            Assert.Equal(LibC.SchedBatch, Policy(batch.Id));
            Assert.Equal(LibC.SchedOther, Policy(other.Id));
            var child = WaitForChild(batch.Id);
            Assert.Equal(LibC.SchedBatch, Policy(child));
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

    /// <summary>Field 41 of /proc/PID/stat (proc(5)): the scheduling policy.</summary>
    private static int Policy(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[41 - 3], CultureInfo.InvariantCulture);
    }

    private static int WaitForChild(int pid)
    {
        var children = $"/proc/{pid}/task/{pid}/children";
        for (var deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline; Thread.Sleep(10))
        {
            if (File.ReadAllText(children).Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var first, ..])
            {
                return int.Parse(first, CultureInfo.InvariantCulture);
            }
        }

        throw new TimeoutException($"process {pid} started no child");
    }
}

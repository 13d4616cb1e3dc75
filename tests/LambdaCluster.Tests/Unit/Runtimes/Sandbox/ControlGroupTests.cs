using LambdaCluster.Runtimes.Sandbox;
using Xunit;

namespace LambdaCluster.Tests.Unit.Runtimes.Sandbox;

/// <summary>
/// A control group's peak memory is read for every REPORT through one handle kept open: each read sees the file as it
/// is now, and a group removed reads as 0. (The kernel's control group files behave as the plain file here does: each
/// read at offset 0 formats the value afresh.)
/// </summary>
[Trait("Category", "Unit")]
public sealed class ControlGroupTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("control-group-").FullName;

    [Fact]
    public void PeakMemory_IsReadAfreshEachTime_AndIsZeroOnceTheGroupIsRemoved()
    {
        var peak = Path.Combine(_directory, "memory.peak");
        File.WriteAllText(peak, "1048576\n");
        var group = new ControlGroup([_directory], peak, Path.Combine(_directory, "cgroup.procs"), killFile: null);

        Assert.Equal(1048576, group.PeakMemoryBytes());
        File.WriteAllText(peak, "134217728\n");
        Assert.Equal(134217728, group.PeakMemoryBytes());
        File.WriteAllText(peak, "not a number\n");
        Assert.Equal(0, group.PeakMemoryBytes());

        File.Delete(peak);
        Assert.True(group.TryDelete());
        Assert.Equal(0, group.PeakMemoryBytes());
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}

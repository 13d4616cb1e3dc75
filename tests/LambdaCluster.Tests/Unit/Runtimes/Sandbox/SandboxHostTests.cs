using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Runtimes.Sandbox;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;

namespace LambdaCluster.Tests.Unit.Runtimes.Sandbox;

/// <summary>A host that cannot sandbox says why, and then runs no function at all (unless Isolation=None picks the plain launcher).</summary>
[Trait("Category", "Unit")]
public sealed class SandboxHostTests
{
    [Fact]
    public void WithoutBubblewrap_TheHostSaysWhy_AndTheLauncherRefusesEveryFunction()
    {
        var host = new SandboxHost("/nonexistent/bwrap", "/sys/fs/cgroup");
        Assert.Equal("bubblewrap is not installed (/nonexistent/bwrap; Debian: apt-get install bubblewrap)", host.Unavailable);
        Assert.StartsWith("unavailable: bubblewrap is not installed", host.Description, StringComparison.Ordinal);

        var options = Options.Create(new EnvironmentOptions());
        var launcher = new SandboxLauncher(options, Options.Create(new NodeOptions()), host, new NetworkGuard(options, host, NullLogger<NetworkGuard>.Instance),
            new LambdaCluster.Runtimes.Vpc.VpcNetworks(Options.Create(new LambdaCluster.Runtimes.Vpc.VpcOptions()), options, host, NullLogger<LambdaCluster.Runtimes.Vpc.VpcNetworks>.Instance),
            new LambdaCluster.Runtimes.FileSystems.AccessPointMounts(Options.Create(new LambdaCluster.Runtimes.FileSystems.FileSystemOptions())), TimeProvider.System);
        var refused = Assert.Throws<SandboxUnavailableException>(() => launcher.Launch(null!, _ => { }));
        Assert.Contains("Environments:Isolation", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResourceLimits_FollowLambdasMemoryToCpuRatio()
    {
        var small = new ResourceLimits(128L << 20, 1024, 128);
        var full = new ResourceLimits(1769L << 20, 1024, 1769);
        Assert.Equal((74, 7), (small.CpuShares, small.CpuWeight));
        Assert.Equal((1024, 100), (full.CpuShares, full.CpuWeight));
        var largest = new ResourceLimits(10240L << 20, 1024, 10240);
        Assert.Equal((5927, 578), (largest.CpuShares, largest.CpuWeight));

        // INIT runs with one vCPU's weight, or the memory's share when that is more.
        Assert.Equal((1024, 100), (small.InitCpuShares, small.InitCpuWeight));
        Assert.Equal((1024, 100), (full.InitCpuShares, full.InitCpuWeight));
        Assert.Equal((5927, 578), (largest.InitCpuShares, largest.InitCpuWeight));
    }

    [Fact]
    public void AGroupsCpuWeight_IsInitsBurst_UntilInitEnds_ThenTheMemorysShare_OnCgroupV1AndV2()
    {
        var root = Directory.CreateTempSubdirectory("cgroups-").FullName;
        try
        {
            // Stand-ins for the kernel's files: the hierarchies only read and write them.
            foreach (var controller in new[] { "v1/memory", "v1/pids", "v1/cpu" })
            {
                Directory.CreateDirectory(Path.Combine(root, controller));
            }

            File.WriteAllText(Path.Combine(root, "v1/memory/memory.limit_in_bytes"), "");
            File.WriteAllText(Path.Combine(root, "v1/pids/cgroup.procs"), "");
            File.WriteAllText(Path.Combine(root, "v1/cpu/cpu.shares"), "1024");
            Directory.CreateDirectory(Path.Combine(root, "v2"));
            File.WriteAllText(Path.Combine(root, "v2/cgroup.controllers"), "cpu memory pids\n");
            var limits = new ResourceLimits(128L << 20, 1024, 128);
            var cases = new[]
            {
                (Hierarchy: ControlGroupHierarchy.Detect(Path.Combine(root, "v1"), out _)!, File: $"v1/cpu/{ControlGroupHierarchy.ParentName}/env-1/cpu.shares", Burst: "1024", Share: "74"),
                (Hierarchy: ControlGroupHierarchy.Detect(Path.Combine(root, "v2"), out _)!, File: $"v2/{ControlGroupHierarchy.ParentName}/env-1/cpu.weight", Burst: "100", Share: "7"),
            };
            foreach (var (hierarchy, file, burst, share) in cases)
            {
                var group = hierarchy.Create("env-1", limits);
                Assert.Equal(burst, File.ReadAllText(Path.Combine(root, file)));
                group.EndInitBurst();
                Assert.Equal(share, File.ReadAllText(Path.Combine(root, file)));
                File.WriteAllText(Path.Combine(root, file), "x");
                group.EndInitBurst(); // once only
                Assert.Equal("x", File.ReadAllText(Path.Combine(root, file)));
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void UserFor_IsTheBasePlusTheRuntimeApiPort() =>
        Assert.Equal(200_000 + 41234, SandboxLauncher.UserFor("127.0.0.1:41234", 200_000));
}

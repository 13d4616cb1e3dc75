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
    }

    [Fact]
    public void UserFor_IsTheBasePlusTheRuntimeApiPort() =>
        Assert.Equal(200_000 + 41234, SandboxLauncher.UserFor("127.0.0.1:41234", 200_000));
}

using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Runtimes.Sandbox;
using LambdaCluster.Runtimes.Vpc;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>What a killed node leaves in the host's network configuration, and who removes it (root, nftables, bubblewrap).</summary>
[Trait("Category", "EndToEnd")]
public sealed class HostLeftoverTests
{
    [Fact]
    public void ASandboxingNodeWithoutSubnets_RemovesTheTableAVpcNodeNoLongerRunningLeft()
    {
        // A killed node's table stays in the host's ruleset, filtering every packet, until a node removes it.
        const string Left = "lambda_vpc_4194305"; // above the kernel's highest PID: no process has it
        HostCommand.Run(NetworkGuard.NftExecutable, ["add", "table", "inet", Left]);
        try
        {
            var environments = new EnvironmentOptions { Isolation = IsolationMode.Sandbox };
            var networks = new VpcNetworks(Options.Create(new VpcOptions()), Options.Create(environments), new SandboxHost(Options.Create(environments)), NullLogger<VpcNetworks>.Instance);

            Assert.Empty(networks.Prepare());
            Assert.DoesNotContain($"table inet {Left}\n", HostCommand.Run(NetworkGuard.NftExecutable, ["list", "tables"]), StringComparison.Ordinal);
            Assert.StartsWith("this node defines no subnets", networks.Failure, StringComparison.Ordinal);
        }
        finally
        {
            if (HostCommand.Run(NetworkGuard.NftExecutable, ["list", "tables"]).Contains($"table inet {Left}\n", StringComparison.Ordinal))
            {
                HostCommand.Run(NetworkGuard.NftExecutable, ["delete", "table", "inet", Left]);
            }
        }
    }
}

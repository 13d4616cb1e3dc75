using System.Net;
using LambdaCluster.Runtimes.FileSystems;
using LambdaCluster.Runtimes.Sandbox;
using LambdaCluster.Runtimes.Vpc;
using LambdaCluster.Tests.EndToEnd;
using Xunit;

namespace LambdaCluster.Tests.Unit.Runtimes.Vpc;

/// <summary>Subnet addresses, the operator's subnet, group and access point settings, and the rulesets nft is given.</summary>
[Trait("Category", "Unit")]
public sealed class VpcNetworkingTests
{
    private static SubnetOptions Subnet(string cidr, string? range = null, string? host = null) =>
        new() { Id = "subnet-a", VpcId = "vpc-a", Cidr = cidr, Bridge = "br-a", EnvironmentAddresses = range, HostAddress = host };

    [Fact]
    public void AddressPool_SkipsTheNetworkBroadcastAndHostAddresses_AndRunsOut()
    {
        var pool = new AddressPool(Subnet("10.0.0.0/30"));
        Assert.Equal(IPAddress.Parse("10.0.0.2"), pool.Take()); // .0 network, .1 the node, .3 broadcast
        Assert.Null(pool.Take());
        pool.Return(IPAddress.Parse("10.0.0.2"));
        Assert.Equal(IPAddress.Parse("10.0.0.2"), pool.Take());

        var ranged = new AddressPool(Subnet("10.0.0.0/24", range: "10.0.0.128/31", host: "10.0.0.129"));
        Assert.Equal(IPAddress.Parse("10.0.0.128"), ranged.Take());
        Assert.Null(ranged.Take()); // .129 is this node's own
    }

    [Fact]
    public void Validator_NamesEveryBrokenSetting()
    {
        var options = new VpcOptions
        {
            Subnets =
            [
                new() { Id = "subnet-a", VpcId = "vpc-a", Cidr = "10.0.0.0/24", Bridge = "br-a" },
                new() { Id = "subnet-a", VpcId = "vpc-a", Cidr = "10.0.1.0/31", Bridge = "a-bridge-name-too-long" },
                new() { Id = "net-b", VpcId = "vpc-a", Cidr = "10.0.2.0/24", Bridge = "br-b", HostAddress = "10.9.9.9", EnvironmentAddresses = "10.0.0.0/25" },
            ],
            SecurityGroups =
            [
                new() { Id = "sg-a", VpcId = "vpc-a", Egress = [new() { IpProtocol = "sctp", CidrIp = "10.0.0.0/8" }, new() { FromPort = 90, ToPort = 80, CidrIp = "not-a-range" }] },
            ],
        };
        var failures = new VpcOptionsValidator().Validate(null, options).Failures!.ToList();
        Assert.Contains(failures, f => f.Contains("subnet-a is defined twice", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Bridge must be an interface name", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Cidr must be an IPv4 range of at least 4 addresses", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("(net-b): Id must be subnet-", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("HostAddress must be a host address of 10.0.2.0/24", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("EnvironmentAddresses must be a range inside 10.0.2.0/24", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("IpProtocol sctp", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("ports 90-80", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("CidrIp not-a-range", StringComparison.Ordinal));
        Assert.True(new VpcOptionsValidator().Validate(null, new VpcOptions { Subnets = [options.Subnets[0]] }).Succeeded);
    }

    [Fact]
    public void FileSystemValidator_RefusesRootUsersEscapesAndBadArns()
    {
        var options = new FileSystemOptions
        {
            AccessPoints =
            [
                new() { Arn = "arn:aws:elasticfilesystem:us-east-1:000000000000:access-point/fsap-0123456789abcdef0", Path = "/srv/efs", PosixUser = new() { Uid = 0, Gid = 0 } },
                new() { Arn = "arn:aws:s3:::bucket", Path = "relative", RootDirectory = new() { Path = "/a/../../etc", CreationInfo = new() { Permissions = "rwx" } } },
            ],
        };
        var failures = new FileSystemOptionsValidator().Validate(null, options).Failures!.ToList();
        Assert.Contains(failures, f => f.Contains("not root", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Arn must be an EFS access point ARN", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Path must be an absolute path.", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("without . or .. parts", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("octal digits", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rulesets_AreValidNftables_AndCarryTheGroupsRules()
    {
        var subnets = new[] { Subnet("10.0.0.0/24"), new SubnetOptions { Id = "subnet-b", VpcId = "vpc-a", Cidr = "10.0.1.0/24", Bridge = "br-b", Nat = true } };
        var host = VpcRulesets.Host("lambda_vpc_test", subnets, 200_000, [11111, 6379]);
        Assert.Contains("iifname @bridges ip saddr . tcp dport @endpoints accept", host, StringComparison.Ordinal);
        Assert.Contains("ip daddr 10.0.0.1 iifname != \"br-a\" drop", host, StringComparison.Ordinal); // the subnet address from its bridge only
        Assert.Contains("iifname { \"br-a\", \"br-b\" } oifname { \"br-a\", \"br-b\" } accept", host, StringComparison.Ordinal); // one VPC: routed
        Assert.Contains("iifname @bridges tcp dport { 11111, 6379 } drop", host, StringComparison.Ordinal);
        Assert.Contains("iifname @bridges ip daddr 169.254.0.0/16 drop", host, StringComparison.Ordinal);
        Assert.True(host.IndexOf("169.254.0.0/16 drop", StringComparison.Ordinal) < host.IndexOf("@nat_sources oifname != @bridges accept", StringComparison.Ordinal));
        Assert.Contains("oifname @bridges meta skuid 200000-265535 drop", host, StringComparison.Ordinal);
        Assert.Contains("ip saddr @nat_sources oifname != @bridges masquerade", host, StringComparison.Ordinal);
        var group = new SecurityGroupOptions
        {
            Id = "sg-a", VpcId = "vpc-a",
            Egress = [new() { IpProtocol = "tcp", FromPort = 5432, ToPort = 5432, CidrIp = "10.0.0.0/24" }, new() { IpProtocol = "-1", CidrIp = "10.0.1.7/32" }],
            Ingress = [new() { IpProtocol = "udp", FromPort = 1000, ToPort = 2000, CidrIp = "10.0.0.0/16" }],
        };
        var environment = VpcRulesets.Environment(IPAddress.Parse("10.0.0.1"), 40123, [group]);
        Assert.Contains("ip daddr 10.0.0.1 tcp dport 40123 accept", environment, StringComparison.Ordinal);
        Assert.Contains("ip daddr 10.0.0.0/24 tcp dport 5432 accept", environment, StringComparison.Ordinal);
        Assert.Contains("ip daddr 10.0.1.7/32 accept", environment, StringComparison.Ordinal);
        Assert.Contains("ip saddr 10.0.0.0/16 udp dport 1000-2000 accept", environment, StringComparison.Ordinal);

        // nft's own check (-c: parsed and validated, nothing installed), where the machine has nft and the right to use it.
        if (File.Exists(NetworkGuard.NftExecutable) && Environment.IsPrivilegedProcess)
        {
            foreach (var ruleset in new[] { host, environment })
            {
                var checkedRuleset = await Tools.RunAsync("/bin/sh", ["-c", $"printf '%s' \"$0\" | {NetworkGuard.NftExecutable} -c -f -", ruleset]);
                Assert.True(checkedRuleset.ExitCode == 0, checkedRuleset.Stderr);
            }
        }
    }
}

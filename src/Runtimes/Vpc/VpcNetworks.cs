using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Runtimes.Invocation;
using LambdaCluster.Runtimes.Launch;
using LambdaCluster.Runtimes.Sandbox;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Runtimes.Vpc;

/// <summary>
/// Attaches environments of functions with a VpcConfig to this node's subnets, as Lambda attaches them to a VPC
/// (https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html): each such environment runs in a network
/// namespace of its own, on a veth pair whose other end is on the subnet's bridge, with an address of the subnet, a
/// default route through the node, and its security groups' rules (<see cref="VpcRulesets.Environment"/>). It reaches
/// what is on the subnet and what its groups allow, its Runtime API on the node's address there, and nothing of the
/// node or of other networks (<see cref="VpcRulesets.Host"/>) unless the subnet has a NAT route.
/// At start (<see cref="Prepare"/>) the node makes missing bridges, removes namespaces left by stopped nodes and installs
/// its table; a node without subnets only removes what stopped nodes left, and one running functions unconfined does none of it.
/// </summary>
public sealed partial class VpcNetworks(IOptions<VpcOptions> options, IOptions<EnvironmentOptions> environments, SandboxHost host, ILogger<VpcNetworks> logger) : IHostedService
{
    /// <summary>iproute2's ip command.</summary>
    public const string IpExecutable = "/usr/sbin/ip";

    private const string NamespaceDirectory = "/run/netns";
    private const string NamespacePrefix = "lambda-";
    private const string TablePrefix = "lambda_vpc_";
    private readonly Dictionary<string, AddressPool> _pools = options.Value.Subnets.ToDictionary(s => s.Id, s => new AddressPool(s));
    private string? _table;

    /// <summary>Why functions cannot be attached to subnets on this node, or null when they can.</summary>
    public string? Failure { get; private set; }

    /// <summary>Whether this node has subnets and sandboxes to attach them to.</summary>
    private bool Enabled => options.Value.Subnets.Count > 0 && environments.Value.Isolation == IsolationMode.Sandbox && host.Unavailable is null;

    /// <summary>
    /// Makes the subnets ready (bridges, the node's addresses on them, its table) and returns the node's addresses, where
    /// the Runtime API is also served. Called once, before any environment starts; empty when there are no subnets or
    /// they could not be made ready (<see cref="Failure"/>).
    /// </summary>
    public IReadOnlyList<IPAddress> Prepare()
    {
        if (!Enabled)
        {
            Failure = options.Value.Subnets.Count == 0 ? "this node defines no subnets (Vpc:Subnets)" : "this node runs functions unconfined (Environments:Isolation=None) or cannot sandbox them";
            if (environments.Value.Isolation == IsolationMode.Sandbox && host.Unavailable is null)
            {
                RemoveLeftoversOfOthers();
            }

            return [];
        }

        try
        {
            RemoveLeftovers();
            foreach (var subnet in options.Value.Subnets)
            {
                var prefix = subnet.Network.PrefixLength.ToString(CultureInfo.InvariantCulture);
                var create = Directory.Exists($"/sys/class/net/{subnet.Bridge}") ? "" : $"link add name {subnet.Bridge} type bridge\n";
                HostCommand.Run(IpExecutable, ["-batch", "-"], $"{create}addr replace {subnet.Host}/{prefix} dev {subnet.Bridge}\nlink set {subnet.Bridge} up\n");
                // IPv4 forwards what arrives on an interface whose forwarding is on: the node routes between a VPC's subnets
                // (and out of NAT subnets) without forwarding for the whole host; the node's table decides what passes.
                File.WriteAllText($"/proc/sys/net/ipv4/conf/{subnet.Bridge}/forwarding", "1");
            }

            _table = string.Create(CultureInfo.InvariantCulture, $"{TablePrefix}{Environment.ProcessId}");
            HostCommand.Run(NetworkGuard.NftExecutable, ["-f", "-"], VpcRulesets.Host(_table, options.Value.Subnets, environments.Value.SandboxUserIdBase, environments.Value.BlockedPorts));
            LogPrepared(logger, options.Value.Subnets.Count, _table);
            return [.. options.Value.Subnets.Select(s => s.Host).Distinct()];
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
        {
            Failure = $"the subnets could not be made ready: {e.Message}";
            LogFailed(logger, e.Message);
            return [];
        }
    }

    /// <summary>
    /// Attaches the environment on <paramref name="runtimeApiPort"/> to one of the function's subnets (in turn from the
    /// port, the first this node defines that has a free address). Throws <see cref="LaunchRefusedException"/> with
    /// Lambda's reason when no subnet or security group of <paramref name="vpc"/> is defined here or no address is
    /// free, InvalidOperationException when the host's tools fail.
    /// </summary>
    public NetworkAttachment Attach(int runtimeApiPort, VpcConfig vpc)
    {
        // Flow: the groups and a subnet with a free address → the namespace and veth pair → the groups' rules inside →
        // the address and route → the node lets the address reach its Runtime API port.
        if (Failure is { } failure)
        {
            throw new LaunchRefusedException(PlatformFailureReason.InvalidSubnet, $"Lambda could not attach the function to its VPC on this node: {failure}.");
        }

        var groups = vpc.SecurityGroupIds.Select(id => options.Value.SecurityGroup(id)
            ?? throw new LaunchRefusedException(PlatformFailureReason.InvalidSecurityGroup, $"The security group '{id}' does not exist on this node (Vpc:SecurityGroups).")).ToList();
        var subnets = vpc.SubnetIds.Select(options.Value.Subnet).OfType<SubnetOptions>().ToList();
        if (subnets.Count == 0)
        {
            throw new LaunchRefusedException(PlatformFailureReason.InvalidSubnet, $"The subnet ID '{vpc.SubnetIds[0]}' does not exist on this node (Vpc:Subnets).");
        }

        SubnetOptions? subnet = null;
        IPAddress? address = null;
        for (var i = 0; i < subnets.Count && address is null; i++)
        {
            subnet = subnets[(runtimeApiPort + i) % subnets.Count];
            address = _pools[subnet.Id].Take();
        }

        if (address is null)
        {
            throw new LaunchRefusedException(PlatformFailureReason.SubnetOutOfAddresses, "Lambda was not able to create an ENI in the VPC of the Lambda function because the limit for Network Interfaces has been reached: the function's subnets have no free address on this node.");
        }

        var name = string.Create(CultureInfo.InvariantCulture, $"{NamespacePrefix}{Environment.ProcessId}-{runtimeApiPort}");
        var attachment = new NetworkAttachment($"{NamespaceDirectory}/{name}", subnet!, address, runtimeApiPort, Detach);
        try
        {
            Connect(name, attachment, groups);
            return attachment;
        }
        catch
        {
            attachment.Dispose();
            throw;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask; // the Runtime API server calls Prepare

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (_table is not null)
        {
            try
            {
                HostCommand.Run(NetworkGuard.NftExecutable, ["delete", "table", "inet", _table]);
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
            {
                LogFailed(logger, e.Message);
            }
        }

        return Task.CompletedTask;
    }

    private void Connect(string name, NetworkAttachment attachment, IReadOnlyList<SecurityGroupOptions> groups)
    {
        var veth = string.Create(CultureInfo.InvariantCulture, $"lv{attachment.RuntimeApiPort}");
        if (File.Exists(attachment.NamespacePath))
        {
            HostCommand.Run(IpExecutable, ["netns", "delete", name]); // a namespace this port had when the node failed to remove it
        }

        if (Directory.Exists($"/sys/class/net/{veth}"))
        {
            HostCommand.Run(IpExecutable, ["link", "delete", veth]);
        }

        HostCommand.Run(IpExecutable, ["-batch", "-"], $"netns add {name}\nlink add {veth} type veth peer name eth0 netns {name}\nlink set {veth} master {attachment.Subnet.Bridge} up\n");
        // The rules before the interface comes up: no packet ever leaves unfiltered.
        HostCommand.Run(SandboxLauncher.NsenterExecutable, [$"--net={attachment.NamespacePath}", "--", NetworkGuard.NftExecutable, "-f", "-"],
            VpcRulesets.Environment(attachment.Host, attachment.RuntimeApiPort, groups));
        var prefix = attachment.Subnet.Network.PrefixLength.ToString(CultureInfo.InvariantCulture);
        HostCommand.Run(IpExecutable, ["-n", name, "-batch", "-"], $"addr add {attachment.Address}/{prefix} dev eth0\nlink set lo up\nlink set eth0 up\nroute add default via {attachment.Host}\n");
        if (NetworkGuard.RunInProcess($"add element inet {_table} endpoints {{ {attachment.Address} . {attachment.RuntimeApiPort} }}") is { } error)
        {
            throw new InvalidOperationException($"nft: {error}");
        }
    }

    private void Detach(NetworkAttachment attachment)
    {
        if (NetworkGuard.RunInProcess($"delete element inet {_table} endpoints {{ {attachment.Address} . {attachment.RuntimeApiPort} }}") is { } error)
        {
            LogDetachFailed(logger, attachment.Address.ToString(), error);
        }

        try
        {
            if (File.Exists(attachment.NamespacePath))
            {
                HostCommand.Run(IpExecutable, ["netns", "delete", Path.GetFileName(attachment.NamespacePath)]); // its veth pair goes with it
            }

            _pools[attachment.Subnet.Id].Return(attachment.Address);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
        {
            LogDetachFailed(logger, attachment.Address.ToString(), e.Message); // the address stays taken: its old veth may still hold it
        }
    }

    /// <summary>
    /// <see cref="RemoveLeftovers"/> on a sandboxing node without subnets of its own: a killed node's table stays in the
    /// host's ruleset, matching every packet of every process (and keeping connection tracking on) until some node
    /// removes it, and the next node to start on this host may well be one without subnets. Best effort.
    /// </summary>
    private void RemoveLeftoversOfOthers()
    {
        try
        {
            RemoveLeftovers();
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
        {
            LogLeftoversRemain(logger, e.Message);
        }
    }

    /// <summary>
    /// Namespaces and tables of nodes that are no longer running (a killed node leaves them behind). Nodes starting
    /// side by side may both find one: a delete that fails because the other removed it first is not a failure.
    /// </summary>
    private static void RemoveLeftovers()
    {
        if (Directory.Exists(NamespaceDirectory))
        {
            foreach (var path in Directory.EnumerateFiles(NamespaceDirectory))
            {
                if (NamespaceName().Match(Path.GetFileName(path)) is { Success: true } match && !Directory.Exists($"/proc/{match.Groups["pid"].Value}"))
                {
                    RemoveUnlessGone(IpExecutable, ["netns", "delete", Path.GetFileName(path)], () => File.Exists(path));
                }
            }
        }

        foreach (Match table in TableName().Matches(HostCommand.Run(NetworkGuard.NftExecutable, ["list", "tables"])))
        {
            if (!Directory.Exists($"/proc/{table.Groups["pid"].Value}"))
            {
                RemoveUnlessGone(NetworkGuard.NftExecutable, ["delete", "table", "inet", table.Value],
                    () => HostCommand.Run(NetworkGuard.NftExecutable, ["list", "tables"]).Contains($"table inet {table.Value}\n", StringComparison.Ordinal));
            }
        }
    }

    /// <summary>Runs a delete; when it fails, throws only if what it deletes is still there (<paramref name="stillThere"/>).</summary>
    private static void RemoveUnlessGone(string executable, IReadOnlyList<string> delete, Func<bool> stillThere)
    {
        try
        {
            HostCommand.Run(executable, delete);
        }
        catch (InvalidOperationException) when (!stillThere())
        {
            // Another node starting beside this one removed it first.
        }
    }

    [GeneratedRegex(@"\Alambda-(?<pid>\d+)-\d+\z")]
    private static partial Regex NamespaceName();

    [GeneratedRegex(@"(?<=table inet )lambda_vpc_(?<pid>\d+)")]
    private static partial Regex TableName();

    [LoggerMessage(EventId = 2321, Level = LogLevel.Information, Message = "{Count} subnets ready for functions with a VpcConfig (nftables table inet {Table})")]
    private static partial void LogPrepared(ILogger logger, int count, string table);

    [LoggerMessage(EventId = 2322, Level = LogLevel.Error, Message = "Subnets: {Problem}; functions with a VpcConfig will not run on this node")]
    private static partial void LogFailed(ILogger logger, string problem);

    [LoggerMessage(EventId = 2323, Level = LogLevel.Warning, Message = "The network of the environment at {Address} could not be removed whole: {Problem}")]
    private static partial void LogDetachFailed(ILogger logger, string address, string problem);

    [LoggerMessage(EventId = 2324, Level = LogLevel.Warning, Message = "Subnets of nodes no longer running could not be removed: {Problem}")]
    private static partial void LogLeftoversRemain(ILogger logger, string problem);
}

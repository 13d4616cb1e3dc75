using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Runtimes.Vpc;

/// <summary>Fails node start-up on a subnet or security group that cannot work, naming it.</summary>
public sealed partial class VpcOptionsValidator : IValidateOptions<VpcOptions>
{
    public ValidateOptionsResult Validate(string? name, VpcOptions options)
    {
        var failures = new List<string>();
        foreach (var subnet in options.Subnets)
        {
            failures.AddRange(Problems(subnet).Select(p => $"{VpcOptions.Section}:Subnets ({subnet.Id}): {p}"));
        }

        foreach (var group in options.SecurityGroups)
        {
            failures.AddRange(Problems(group).Select(p => $"{VpcOptions.Section}:SecurityGroups ({group.Id}): {p}"));
        }

        failures.AddRange(options.Subnets.GroupBy(s => s.Id).Where(g => g.Count() > 1).Select(g => $"{VpcOptions.Section}:Subnets: {g.Key} is defined twice."));
        failures.AddRange(options.Subnets.GroupBy(s => s.Bridge).Where(g => g.Count() > 1).Select(g => $"{VpcOptions.Section}:Subnets: bridge {g.Key} carries more than one subnet."));
        failures.AddRange(options.SecurityGroups.GroupBy(s => s.Id).Where(g => g.Count() > 1).Select(g => $"{VpcOptions.Section}:SecurityGroups: {g.Key} is defined twice."));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> Problems(SubnetOptions subnet)
    {
        if (!SubnetId().IsMatch(subnet.Id))
        {
            yield return "Id must be subnet- followed by lowercase letters or digits.";
        }

        if (!VpcId().IsMatch(subnet.VpcId))
        {
            yield return "VpcId must be vpc- followed by lowercase letters or digits.";
        }

        if (!BridgeName().IsMatch(subnet.Bridge))
        {
            yield return "Bridge must be an interface name of 1 to 15 letters, digits, '-', '_' or '.'.";
        }

        if (!IPNetwork.TryParse(subnet.Cidr, out var network) || network.BaseAddress.AddressFamily != AddressFamily.InterNetwork || network.PrefixLength > 30)
        {
            yield return "Cidr must be an IPv4 range of at least 4 addresses (e.g. 10.0.1.0/24).";
            yield break;
        }

        var broadcast = AddressRange.Offset(network.BaseAddress, AddressRange.Size(network) - 1);
        if (subnet.HostAddress is not null && (!IPAddress.TryParse(subnet.HostAddress, out var host) || !network.Contains(host) || host.Equals(network.BaseAddress) || host.Equals(broadcast)))
        {
            yield return $"HostAddress must be a host address of {subnet.Cidr}.";
        }

        if (subnet.EnvironmentAddresses is not null && (!IPNetwork.TryParse(subnet.EnvironmentAddresses, out var range) || !network.Contains(range.BaseAddress) || range.PrefixLength < network.PrefixLength))
        {
            yield return $"EnvironmentAddresses must be a range inside {subnet.Cidr}.";
        }
    }

    private static IEnumerable<string> Problems(SecurityGroupOptions group)
    {
        if (!SecurityGroupId().IsMatch(group.Id))
        {
            yield return "Id must be sg- followed by letters or digits.";
        }

        if (!VpcId().IsMatch(group.VpcId))
        {
            yield return "VpcId must be vpc- followed by lowercase letters or digits.";
        }

        foreach (var rule in group.Egress.Concat(group.Ingress))
        {
            if (rule.IpProtocol is not ("tcp" or "udp" or "icmp" or "-1"))
            {
                yield return $"IpProtocol {rule.IpProtocol} is not one of tcp, udp, icmp, -1.";
            }

            if (rule.IpProtocol is "tcp" or "udp" && (rule.FromPort is < 0 or > 65535 || rule.ToPort is < 0 or > 65535 || rule.FromPort > rule.ToPort))
            {
                yield return $"ports {rule.FromPort}-{rule.ToPort} are not a range within 0-65535.";
            }

            if (!IPNetwork.TryParse(rule.CidrIp, out var cidr) || cidr.BaseAddress.AddressFamily != AddressFamily.InterNetwork)
            {
                yield return $"CidrIp {rule.CidrIp} is not an IPv4 range.";
            }
        }
    }

    [GeneratedRegex(@"\Asubnet-[0-9a-z]+\z")]
    private static partial Regex SubnetId();

    [GeneratedRegex(@"\Avpc-[0-9a-z]+\z")]
    private static partial Regex VpcId();

    [GeneratedRegex(@"\Asg-[0-9a-zA-Z]+\z")]
    private static partial Regex SecurityGroupId();

    [GeneratedRegex(@"\A[a-zA-Z0-9_.-]{1,15}\z")]
    private static partial Regex BridgeName();
}

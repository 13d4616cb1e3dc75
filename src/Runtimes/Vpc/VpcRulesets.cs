using System.Globalization;
using System.Net;
using System.Text;

namespace LambdaCluster.Runtimes.Vpc;

/// <summary>
/// The nftables rulesets (https://wiki.nftables.org) that make a subnet private: one table in the node's own network
/// namespace, and one inside each environment's.
/// </summary>
public static class VpcRulesets
{
    /// <summary>The table in each environment's network namespace.</summary>
    public const string EnvironmentTable = "lambda_security_groups";

    /// <summary>
    /// The node's table. Its addresses on the subnets take only each environment's Runtime API, and only from that
    /// subnet's bridge (the <c>endpoints</c> set pairs an environment's address with its port, so no environment reaches
    /// another's, and nothing off the subnet reaches any). Traffic between the subnets of one VPC is routed (its
    /// security groups decide, as a VPC's local route does); traffic leaving a VPC for anywhere else (another VPC, the
    /// node's other networks) is dropped unless the subnet has a NAT route, which is then masqueraded, never to a
    /// link-local address (a cloud's metadata service) nor to <paramref name="blockedPorts"/> (the cluster's own). The
    /// functions outside any VPC (in the node's namespace, as users from <paramref name="sandboxUserIdBase"/> on) send
    /// nothing onto a subnet, as a Lambda function outside a VPC cannot reach into one.
    /// </summary>
    public static string Host(string table, IReadOnlyCollection<SubnetOptions> subnets, int sandboxUserIdBase, IReadOnlyCollection<int> blockedPorts)
    {
        var bridges = string.Join(", ", subnets.Select(s => $"\"{s.Bridge}\""));
        var nat = subnets.Where(s => s.Nat).Select(s => s.Network.ToString()).ToList();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $$"""
            table inet {{table}} {
              set bridges { type ifname; elements = { {{bridges}} } }
              set endpoints { type ipv4_addr . inet_service; }

            """);
        if (nat.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"  set nat_sources {{ type ipv4_addr; flags interval; elements = {{ {string.Join(", ", nat)} }} }}\n");
        }

        text.Append("""
              chain input {
                type filter hook input priority filter - 1; policy accept;

            """);
        foreach (var subnet in subnets)
        {
            // Linux takes a packet for any of its addresses on any interface: the subnet's address only from its bridge.
            text.Append(CultureInfo.InvariantCulture, $"    ip daddr {subnet.Host} iifname != \"{subnet.Bridge}\" drop\n");
        }

        text.Append("""
                iifname @bridges ip saddr . tcp dport @endpoints accept
                iifname @bridges ct state established,related accept
                iifname @bridges drop
              }
              chain forward {
                type filter hook forward priority filter - 1; policy accept;

            """);
        foreach (var vpc in subnets.GroupBy(s => s.VpcId))
        {
            // Bridged traffic on one subnet (br_netfilter passes it through this hook too), and routed traffic between a VPC's subnets.
            var members = string.Join(", ", vpc.Select(s => $"\"{s.Bridge}\""));
            text.Append(CultureInfo.InvariantCulture, $"    iifname {{ {members} }} oifname {{ {members} }} accept\n");
        }

        text.Append("    iifname @bridges ip daddr 169.254.0.0/16 drop\n");
        if (blockedPorts.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"    iifname @bridges tcp dport {{ {string.Join(", ", blockedPorts)} }} drop\n");
        }

        if (nat.Count > 0)
        {
            text.Append("    iifname @bridges ip saddr @nat_sources oifname != @bridges accept\n");
        }

        text.Append(CultureInfo.InvariantCulture, $$"""
                oifname @bridges ct state established,related accept
                iifname @bridges drop
                oifname @bridges drop
              }
              chain output {
                type filter hook output priority filter - 1; policy accept;
                oifname @bridges meta skuid {{sandboxUserIdBase}}-{{sandboxUserIdBase + 65535}} drop
              }

            """);
        if (nat.Count > 0)
        {
            text.Append("""
                  chain postrouting {
                    type nat hook postrouting priority srcnat; policy accept;
                    ip saddr @nat_sources oifname != @bridges masquerade
                  }

                """);
        }

        text.Append("}\n");
        return text.ToString();
    }

    /// <summary>
    /// The table inside one environment's network namespace: everything is dropped but loopback, replies, the
    /// environment's own Runtime API at <paramref name="host"/>:<paramref name="runtimeApiPort"/> and what the security
    /// groups' rules allow (egress for what the function starts, ingress for what others start). The function runs
    /// without capabilities, so it cannot change this table.
    /// </summary>
    public static string Environment(IPAddress host, int runtimeApiPort, IEnumerable<SecurityGroupOptions> groups)
    {
        var groupList = groups.ToList();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $$"""
            table inet {{EnvironmentTable}} {
              chain output {
                type filter hook output priority filter; policy drop;
                oifname "lo" accept
                ct state established,related accept
                ip daddr {{host}} tcp dport {{runtimeApiPort}} accept

            """);
        foreach (var rule in groupList.SelectMany(g => g.Egress))
        {
            text.Append(CultureInfo.InvariantCulture, $"    ip daddr {IPNetwork.Parse(rule.CidrIp)} {Match(rule)}accept\n");
        }

        text.Append("""
              }
              chain input {
                type filter hook input priority filter; policy drop;
                iifname "lo" accept
                ct state established,related accept

            """);
        foreach (var rule in groupList.SelectMany(g => g.Ingress))
        {
            text.Append(CultureInfo.InvariantCulture, $"    ip saddr {IPNetwork.Parse(rule.CidrIp)} {Match(rule)}accept\n");
        }

        text.Append("  }\n}\n");
        return text.ToString();
    }

    private static string Match(SecurityGroupRule rule) => rule.IpProtocol switch
    {
        "tcp" or "udp" => string.Create(CultureInfo.InvariantCulture, $"{rule.IpProtocol} dport {Ports(rule)} "),
        "icmp" => "meta l4proto icmp ",
        _ => "",
    };

    private static string Ports(SecurityGroupRule rule) =>
        rule.FromPort == rule.ToPort ? rule.FromPort.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{rule.FromPort}-{rule.ToPort}");
}

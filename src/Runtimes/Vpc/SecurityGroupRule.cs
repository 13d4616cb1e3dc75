namespace LambdaCluster.Runtimes.Vpc;

/// <summary>One rule of a security group, in EC2's terms (IpPermission with one IpRange).</summary>
public sealed class SecurityGroupRule
{
    /// <summary><c>tcp</c>, <c>udp</c>, <c>icmp</c>, or <c>-1</c> (every protocol, ports ignored).</summary>
    public string IpProtocol { get; set; } = "tcp";

    /// <summary>First port of the range (tcp, udp).</summary>
    public int FromPort { get; set; }

    /// <summary>Last port of the range (tcp, udp).</summary>
    public int ToPort { get; set; } = 65535;

    /// <summary>The other end's IPv4 range (EC2's CidrIp), e.g. 10.0.1.0/24 or 0.0.0.0/0.</summary>
    public string CidrIp { get; set; } = "";
}

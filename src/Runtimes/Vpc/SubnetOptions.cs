using System.Net;

namespace LambdaCluster.Runtimes.Vpc;

/// <summary>
/// One subnet (EC2's Subnet, as this node has it): a Linux bridge carrying <see cref="Cidr"/>. Environments of functions on
/// this subnet get an address of <see cref="EnvironmentAddresses"/> on a veth pair attached to <see cref="Bridge"/>; the
/// bridge is how they reach what else is on the network (a database's interface or another host's, through a physical
/// interface the operator enslaves to the bridge).
/// </summary>
public sealed class SubnetOptions
{
    /// <summary>The subnet id functions name in VpcConfig.SubnetIds (<c>subnet-</c> and letters or digits).</summary>
    public string Id { get; set; } = "";

    /// <summary>The VPC it belongs to (<c>vpc-...</c>), returned as VpcConfig.VpcId.</summary>
    public string VpcId { get; set; } = "";

    /// <summary>The subnet's IPv4 range, e.g. 10.0.1.0/24.</summary>
    public string Cidr { get; set; } = "";

    /// <summary>The Linux bridge carrying the subnet on this node (at most 15 characters). Made at start when missing.</summary>
    public string Bridge { get; set; } = "";

    /// <summary>
    /// This node's own address on the bridge (the environments' gateway and where their Runtime API is reached); by
    /// default the first address of <see cref="Cidr"/>. Different on each node of a shared network.
    /// </summary>
    public string? HostAddress { get; set; }

    /// <summary>
    /// The range this node gives environments addresses from (a CIDR inside <see cref="Cidr"/>); by default all of it.
    /// Nodes on one shared network each take a range of their own.
    /// </summary>
    public string? EnvironmentAddresses { get; set; }

    /// <summary>
    /// Whether the subnet has a NAT route: environments may reach networks beyond their VPC (the internet), masqueraded
    /// behind the node's address (the node forwards what arrives on its bridges; the host-wide net.ipv4.ip_forward is left
    /// alone). False, the default: the VPC alone, as a private subnet without a NAT gateway.
    /// </summary>
    public bool Nat { get; set; }

    /// <summary>The parsed <see cref="Cidr"/>.</summary>
    public IPNetwork Network => IPNetwork.Parse(Cidr);

    /// <summary>The node's address on the bridge.</summary>
    public IPAddress Host => HostAddress is { } address ? IPAddress.Parse(address) : AddressRange.Offset(Network.BaseAddress, 1);

    /// <summary>The range environments take addresses from.</summary>
    public IPNetwork Environments => EnvironmentAddresses is { } range ? IPNetwork.Parse(range) : Network;
}

namespace LambdaCluster.Runtimes.Vpc;

/// <summary>
/// The private networks this node attaches functions to (section <c>Vpc</c>): Lambda's VpcConfig names subnets and
/// security groups by id, and these say what they are here. Every node of a cluster defines the same ids (each with its
/// own <see cref="SubnetOptions.HostAddress"/> and <see cref="SubnetOptions.EnvironmentAddresses"/>), since a function's
/// environments may start on any node.
/// </summary>
public sealed class VpcOptions
{
    public const string Section = "Vpc";

    /// <summary>The subnets: a Linux bridge each, with its IPv4 CIDR.</summary>
    public List<SubnetOptions> Subnets { get; set; } = [];

    /// <summary>The security groups: egress and ingress rules applied inside each environment's network namespace.</summary>
    public List<SecurityGroupOptions> SecurityGroups { get; set; } = [];

    /// <summary>The subnet with this id, or null.</summary>
    public SubnetOptions? Subnet(string id) => Subnets.Find(s => s.Id == id);

    /// <summary>The security group with this id, or null.</summary>
    public SecurityGroupOptions? SecurityGroup(string id) => SecurityGroups.Find(g => g.Id == id);
}

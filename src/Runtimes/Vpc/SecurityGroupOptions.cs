namespace LambdaCluster.Runtimes.Vpc;

/// <summary>
/// One security group (EC2's SecurityGroup, as this node has it): what an environment in it may send and accept. Like
/// EC2's, rules only allow and are stateful (replies to allowed traffic pass); with several groups, a packet passes if any
/// rule of any group allows it. EC2's default group allows all egress; here an empty <see cref="Egress"/> allows none.
/// </summary>
public sealed class SecurityGroupOptions
{
    /// <summary>The id functions name in VpcConfig.SecurityGroupIds (<c>sg-</c> and letters or digits).</summary>
    public string Id { get; set; } = "";

    /// <summary>The VPC it belongs to: a function's subnets and groups are all of one VPC.</summary>
    public string VpcId { get; set; } = "";

    /// <summary>Traffic the function may start.</summary>
    public List<SecurityGroupRule> Egress { get; set; } = [];

    /// <summary>Traffic others may start towards the function.</summary>
    public List<SecurityGroupRule> Ingress { get; set; } = [];
}

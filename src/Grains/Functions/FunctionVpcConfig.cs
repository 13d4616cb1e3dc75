namespace LambdaCluster.Grains.Functions;

/// <summary>
/// A function's VpcConfig as stored and returned (Lambda's VpcConfigResponse): empty lists and an empty VpcId once it was
/// removed (UpdateFunctionConfiguration with empty lists), which Lambda then returns as such.
/// </summary>
[GenerateSerializer, Immutable, Alias("lambda.function-vpc-config")]
public sealed record FunctionVpcConfig(
    [property: Id(0)] IReadOnlyList<string> SubnetIds,
    [property: Id(1)] IReadOnlyList<string> SecurityGroupIds,
    [property: Id(2)] string VpcId,
    [property: Id(3)] bool Ipv6AllowedForDualStack)
{
    /// <summary>Whether the function is attached to a VPC (it has subnets).</summary>
    public bool Attached => SubnetIds.Count > 0;
}

namespace LambdaCluster.Runtimes.Invocation;

/// <summary>
/// Lambda's VpcConfig as an environment lives with it: the subnets it may be attached to (one is chosen per environment,
/// among those this node defines) and the security groups whose rules bound its traffic
/// (https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html). Both lists are non-empty.
/// </summary>
[GenerateSerializer, Immutable, Alias("lambda.vpc-config")]
public sealed record VpcConfig(
    [property: Id(0)] IReadOnlyList<string> SubnetIds,
    [property: Id(1)] IReadOnlyList<string> SecurityGroupIds);

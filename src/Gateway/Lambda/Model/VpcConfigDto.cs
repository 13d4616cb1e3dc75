namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>Lambda's VpcConfig (CreateFunction, UpdateFunctionConfiguration).</summary>
public sealed record VpcConfigDto(List<string>? SubnetIds, List<string>? SecurityGroupIds, bool? Ipv6AllowedForDualStack);

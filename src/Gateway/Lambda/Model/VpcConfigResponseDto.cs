namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>Lambda's VpcConfigResponse in a FunctionConfiguration.</summary>
public sealed record VpcConfigResponseDto(IReadOnlyList<string> SubnetIds, IReadOnlyList<string> SecurityGroupIds, string VpcId, bool Ipv6AllowedForDualStack);

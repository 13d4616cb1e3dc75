namespace LambdaCluster.Gateway.Lambda.Model;

public sealed record ListFunctionUrlConfigsResponse(IReadOnlyList<FunctionUrlConfigDto> FunctionUrlConfigs, string? NextMarker);

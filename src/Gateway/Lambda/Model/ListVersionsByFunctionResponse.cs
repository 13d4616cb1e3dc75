namespace LambdaCluster.Gateway.Lambda.Model;

public sealed record ListVersionsByFunctionResponse(IReadOnlyList<FunctionConfigurationDto> Versions, string? NextMarker);

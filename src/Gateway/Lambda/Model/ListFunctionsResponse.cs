namespace LambdaCluster.Gateway.Lambda.Model;

public sealed record ListFunctionsResponse(IReadOnlyList<FunctionConfigurationDto> Functions, string? NextMarker);

namespace LambdaCluster.Gateway.Lambda.Model;

public sealed record ListFunctionsByCodeSigningConfigResponse(IReadOnlyList<string> FunctionArns, string? NextMarker);

namespace LambdaCluster.Gateway.Lambda.Model;

public sealed record ListCodeSigningConfigsResponse(IReadOnlyList<CodeSigningConfigDto> CodeSigningConfigs, string? NextMarker);

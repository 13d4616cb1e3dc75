namespace LambdaCluster.Gateway.Lambda.Model;

public sealed record ListAliasesResponse(IReadOnlyList<AliasConfigurationDto> Aliases, string? NextMarker);

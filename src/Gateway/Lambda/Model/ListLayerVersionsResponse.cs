namespace LambdaCluster.Gateway.Lambda.Model;

public sealed record ListLayerVersionsResponse(IReadOnlyList<LayerVersionsListItemDto> LayerVersions, string? NextMarker);

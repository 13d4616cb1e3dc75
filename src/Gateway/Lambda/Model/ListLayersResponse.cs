namespace LambdaCluster.Gateway.Lambda.Model;

public sealed record ListLayersResponse(IReadOnlyList<LayersListItemDto> Layers, string? NextMarker);

namespace LambdaCluster.Gateway.Lambda.Model;

public sealed record LayersListItemDto(string LayerName, string LayerArn, LayerVersionsListItemDto LatestMatchingVersion);

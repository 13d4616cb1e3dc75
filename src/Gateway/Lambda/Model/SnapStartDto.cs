namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>Lambda's SnapStart input: <c>{"ApplyOn":"PublishedVersions"|"None"}</c>.</summary>
public sealed record SnapStartDto(string? ApplyOn);

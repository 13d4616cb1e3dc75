namespace LambdaCluster.Gateway.Lambda.Model;

public sealed record LayerVersionsListItemDto
{
    public required string LayerVersionArn { get; init; }
    public required long Version { get; init; }
    public required string Description { get; init; }
    public required string CreatedDate { get; init; }
    public IReadOnlyList<string>? CompatibleRuntimes { get; init; }
    public IReadOnlyList<string>? CompatibleArchitectures { get; init; }
    public string? LicenseInfo { get; init; }
}

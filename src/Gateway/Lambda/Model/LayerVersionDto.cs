namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>PublishLayerVersion, GetLayerVersion and GetLayerVersionByArn responses.</summary>
public sealed record LayerVersionDto
{
    public required LayerVersionContentDto Content { get; init; }
    public required string LayerArn { get; init; }
    public required string LayerVersionArn { get; init; }
    public required string Description { get; init; }
    public required string CreatedDate { get; init; }
    public required long Version { get; init; }
    public IReadOnlyList<string>? CompatibleRuntimes { get; init; }
    public IReadOnlyList<string>? CompatibleArchitectures { get; init; }
    public string? LicenseInfo { get; init; }
}

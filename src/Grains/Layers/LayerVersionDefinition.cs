namespace LambdaCluster.Grains.Layers;

/// <summary>One published, immutable layer version: its metadata and the content-addressed package.</summary>
[GenerateSerializer, Immutable, Alias("lambda.layer-version")]
public sealed record LayerVersionDefinition
{
    [Id(0)] public required string LayerName { get; init; }
    [Id(1)] public required long Version { get; init; }
    [Id(2)] public required string LayerArn { get; init; }
    [Id(3)] public string Description { get; init; } = "";
    [Id(4)] public required DateTimeOffset CreatedDate { get; init; }
    [Id(5)] public IReadOnlyList<string>? CompatibleRuntimes { get; init; }
    [Id(6)] public IReadOnlyList<string>? CompatibleArchitectures { get; init; }
    [Id(7)] public string? LicenseInfo { get; init; }
    [Id(8)] public required string CodeSha256 { get; init; }
    [Id(9)] public required string CodeSha256Hex { get; init; }
    [Id(10)] public required long CodeSize { get; init; }
    /// <summary>The package's signature, when it carried one that a profile of the publishing node verified.</summary>
    [Id(11)] public string? SigningProfileVersionArn { get; init; }
    [Id(12)] public string? SigningJobArn { get; init; }

    public string LayerVersionArn => $"{LayerArn}:{Version}";
}

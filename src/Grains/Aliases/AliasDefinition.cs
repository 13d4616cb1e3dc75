namespace LambdaCluster.Grains.Aliases;

/// <summary>
/// An alias: a name for a version, optionally routing a share of invocations to one additional version
/// (Lambda's RoutingConfig.AdditionalVersionWeights, at most one entry).
/// </summary>
[GenerateSerializer, Immutable, Alias("lambda.alias-definition")]
public sealed record AliasDefinition
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public required string FunctionVersion { get; init; }
    [Id(2)] public string Description { get; init; } = "";
    /// <summary>The additional version and the share (0-1) of invocations it gets, when the alias splits traffic.</summary>
    [Id(3)] public string? AdditionalVersion { get; init; }
    [Id(4)] public double AdditionalWeight { get; init; }
    [Id(5)] public required string RevisionId { get; init; }

    /// <summary>The version one invocation runs on, given a uniform draw in [0, 1).</summary>
    public string Pick(double draw) => AdditionalVersion is not null && draw < AdditionalWeight ? AdditionalVersion : FunctionVersion;
}

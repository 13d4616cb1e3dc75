namespace LambdaCluster.Grains.Aliases;

/// <summary>CreateAlias / UpdateAlias input after the gateway validated its shape; null members are left as they are on update.</summary>
[GenerateSerializer, Immutable, Alias("lambda.alias-change")]
public sealed record AliasChange(
    [property: Id(0)] string Name,
    [property: Id(1)] string? FunctionVersion,
    [property: Id(2)] string? Description,
    [property: Id(3)] IReadOnlyDictionary<string, double>? AdditionalVersionWeights,
    [property: Id(4)] string? RevisionId);

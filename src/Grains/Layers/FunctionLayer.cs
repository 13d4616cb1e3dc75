namespace LambdaCluster.Grains.Layers;

/// <summary>A layer version a function uses, as its configuration lists it (and the package the node mounts).</summary>
[GenerateSerializer, Immutable, Alias("lambda.function-layer")]
public sealed record FunctionLayer(
    [property: Id(0)] string Arn,
    [property: Id(1)] long CodeSize,
    [property: Id(2)] string CodeSha256Hex);

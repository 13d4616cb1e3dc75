namespace LambdaCluster.Grains.Functions;

/// <summary>A container image function's ImageConfig: overrides of the image's ENTRYPOINT, CMD and WORKDIR (null: the image's).</summary>
[GenerateSerializer, Immutable, Alias("lambda.function-image-config")]
public sealed record FunctionImageConfig(
    [property: Id(0)] IReadOnlyList<string>? EntryPoint,
    [property: Id(1)] IReadOnlyList<string>? Command,
    [property: Id(2)] string? WorkingDirectory);

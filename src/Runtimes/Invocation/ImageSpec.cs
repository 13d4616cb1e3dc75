namespace LambdaCluster.Runtimes.Invocation;

/// <summary>
/// A container image function's image: the URI pinned to its manifest digest (ResolvedImageUri, so that every node runs
/// the same bytes) and the function's ImageConfig overrides of the image's ENTRYPOINT, CMD and WORKDIR (null: the image's).
/// </summary>
[GenerateSerializer, Immutable, Alias("lambda.image-spec")]
public sealed record ImageSpec(
    [property: Id(0)] string ResolvedUri,
    [property: Id(1)] IReadOnlyList<string>? EntryPoint,
    [property: Id(2)] IReadOnlyList<string>? Command,
    [property: Id(3)] string? WorkingDirectory);

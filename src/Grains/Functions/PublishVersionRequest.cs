namespace LambdaCluster.Grains.Functions;

/// <summary>
/// PublishVersion's input: optional guards on $LATEST and the version's description. <paramref name="WithChange"/>: the
/// publish of a CreateFunction or UpdateFunctionCode with <c>Publish: true</c>, taken although that change is still being
/// applied (an image being pulled); a PublishVersion of its own is refused then.
/// </summary>
[GenerateSerializer, Immutable, Alias("lambda.publish-version-request")]
public sealed record PublishVersionRequest(
    [property: Id(0)] string? CodeSha256,
    [property: Id(1)] string? Description,
    [property: Id(2)] string? RevisionId,
    [property: Id(3)] bool WithChange = false);

namespace LambdaCluster.Grains.Functions;

/// <summary>PublishVersion's input: optional guards on $LATEST and the version's description.</summary>
[GenerateSerializer, Immutable, Alias("lambda.publish-version-request")]
public sealed record PublishVersionRequest(
    [property: Id(0)] string? CodeSha256,
    [property: Id(1)] string? Description,
    [property: Id(2)] string? RevisionId);

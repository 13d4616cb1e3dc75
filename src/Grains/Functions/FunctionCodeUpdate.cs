namespace LambdaCluster.Grains.Functions;

/// <summary>UpdateFunctionCode's input, after the package was validated and stored.</summary>
[GenerateSerializer, Immutable, Alias("lambda.function-code-update")]
public sealed record FunctionCodeUpdate(
    [property: Id(0)] string CodeSha256,
    [property: Id(1)] string CodeSha256Hex,
    [property: Id(2)] long CodeSize,
    [property: Id(3)] string? RevisionId,
    [property: Id(4)] string? SigningProfileVersionArn = null,
    [property: Id(5)] string? SigningJobArn = null);

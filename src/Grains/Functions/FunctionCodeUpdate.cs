namespace LambdaCluster.Grains.Functions;

/// <summary>
/// UpdateFunctionCode's input, after the package was validated, checked against <see cref="CodeSigningConfigArn"/> (the
/// function's code signing configuration at the time; the grain refuses the update if it has changed since) and stored.
/// </summary>
[GenerateSerializer, Immutable, Alias("lambda.function-code-update")]
public sealed record FunctionCodeUpdate(
    [property: Id(0)] string CodeSha256,
    [property: Id(1)] string CodeSha256Hex,
    [property: Id(2)] long CodeSize,
    [property: Id(3)] string? RevisionId,
    [property: Id(4)] string? SigningProfileVersionArn = null,
    [property: Id(5)] string? SigningJobArn = null,
    [property: Id(6)] string? CodeSigningConfigArn = null,
    [property: Id(7)] string? ImageUri = null,
    [property: Id(8)] string? ResolvedImageUri = null);

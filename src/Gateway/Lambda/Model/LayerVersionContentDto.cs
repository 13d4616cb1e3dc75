namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>LayerVersionContentOutput; the signing fields only for a signed package (absent otherwise, as on Lambda).</summary>
public sealed record LayerVersionContentDto(string Location, string CodeSha256, long CodeSize, string? SigningProfileVersionArn = null, string? SigningJobArn = null);

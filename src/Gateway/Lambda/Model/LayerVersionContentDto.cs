namespace LambdaCluster.Gateway.Lambda.Model;

public sealed record LayerVersionContentDto(string Location, string CodeSha256, long CodeSize);

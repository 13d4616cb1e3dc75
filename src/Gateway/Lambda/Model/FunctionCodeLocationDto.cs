namespace LambdaCluster.Gateway.Lambda.Model;

public sealed record FunctionCodeLocationDto(string RepositoryType, string Location);

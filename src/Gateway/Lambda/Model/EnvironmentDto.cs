namespace LambdaCluster.Gateway.Lambda.Model;

public sealed record EnvironmentDto
{
    public Dictionary<string, string>? Variables { get; init; }
}

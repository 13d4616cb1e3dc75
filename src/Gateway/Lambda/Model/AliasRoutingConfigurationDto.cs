namespace LambdaCluster.Gateway.Lambda.Model;

public sealed class AliasRoutingConfigurationDto
{
    public Dictionary<string, double>? AdditionalVersionWeights { get; init; }
}

namespace LambdaCluster.Gateway.Lambda.Model;

public sealed class PutProvisionedConcurrencyConfigRequest
{
    public int? ProvisionedConcurrentExecutions { get; init; }
}

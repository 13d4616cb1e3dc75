namespace LambdaCluster.Gateway.Lambda.Model;

public sealed class ScalingConfigDto
{
    public int? MaximumConcurrency { get; init; }
}

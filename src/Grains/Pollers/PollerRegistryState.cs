namespace LambdaCluster.Grains.Pollers;

[GenerateSerializer, Alias("lambda.poller-registry-state")]
public sealed class PollerRegistryState
{
    /// <summary>Grain ids in their string form.</summary>
    [Id(0)] public HashSet<string> Pollers { get; set; } = new(StringComparer.Ordinal);
}

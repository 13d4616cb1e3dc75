namespace LambdaCluster.Grains.Functions;

[GenerateSerializer, Alias("lambda.function-registry-state")]
public sealed class FunctionRegistryState
{
    [Id(0)] public SortedSet<string> Names { get; set; } = new(StringComparer.Ordinal);
}

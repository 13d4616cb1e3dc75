namespace LambdaCluster.Grains.Layers;

[GenerateSerializer, Alias("lambda.layer-state")]
public sealed class LayerState
{
    [Id(0)] public Dictionary<long, LayerVersionDefinition> Versions { get; set; } = [];

    /// <summary>Version numbers are never reused, even after a version is deleted.</summary>
    [Id(1)] public long LastVersion { get; set; }
}

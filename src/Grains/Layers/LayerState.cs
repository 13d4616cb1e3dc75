using LambdaCluster.Grains.Permissions;

namespace LambdaCluster.Grains.Layers;

[GenerateSerializer, Alias("lambda.layer-state")]
public sealed class LayerState
{
    [Id(0)] public Dictionary<long, LayerVersionDefinition> Versions { get; set; } = [];

    /// <summary>Version numbers are never reused, even after a version is deleted.</summary>
    [Id(1)] public long LastVersion { get; set; }

    /// <summary>Each version's resource policy (AddLayerVersionPermission), with its revision.</summary>
    [Id(2)] public Dictionary<long, ResourcePolicy> Policies { get; set; } = [];
}

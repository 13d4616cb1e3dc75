using Orleans.Placement;

namespace LambdaCluster.Grains.Placement;

[AttributeUsage(AttributeTargets.Class)]
public sealed class SiloPinnedPlacementAttribute() : PlacementAttribute(new SiloPinnedPlacement());

using Orleans.Runtime;

namespace LambdaCluster.Grains.Placement;

/// <summary>Places a grain on the silo named by the first part of its key (see <see cref="Environments.EnvironmentKeys"/>).</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("lambda.silo-pinned-placement")]
public sealed class SiloPinnedPlacement : PlacementStrategy;

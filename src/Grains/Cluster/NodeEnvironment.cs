namespace LambdaCluster.Grains.Cluster;

/// <summary>A live environment as its node knows it, for a pool that lost track of it (the pool's silo died).</summary>
[GenerateSerializer, Immutable, Alias("lambda.node-environment")]
public sealed record NodeEnvironment(
    [property: Id(0)] string EnvironmentKey,
    [property: Id(1)] string Revision,
    [property: Id(2)] bool Idle,
    [property: Id(3)] bool Provisioned);

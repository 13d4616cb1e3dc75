namespace LambdaCluster.Grains.Pool;

/// <summary>
/// A pool's environments right now, for tests, diagnostics and provisioned-concurrency status. <see cref="Initializing"/>:
/// the starts the pool counts as still in INIT (they bound how many more it lets start at once).
/// </summary>
[GenerateSerializer, Immutable, Alias("lambda.pool-snapshot")]
public sealed record PoolSnapshot(
    [property: Id(0)] int Idle,
    [property: Id(1)] int Busy,
    [property: Id(2)] IReadOnlyList<string> EnvironmentKeys,
    [property: Id(3)] int ProvisionedReady,
    [property: Id(4)] int ProvisionedRequested,
    [property: Id(5)] int Initializing);

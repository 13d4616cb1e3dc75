namespace LambdaCluster.Grains.Pool;

[GenerateSerializer, Immutable, Alias("lambda.pool-snapshot")]
public sealed record PoolSnapshot(
    [property: Id(0)] int Idle,
    [property: Id(1)] int Busy,
    [property: Id(2)] IReadOnlyList<string> EnvironmentKeys);

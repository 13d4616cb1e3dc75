using LambdaCluster.Grains.Environments;
using LambdaCluster.Runtimes.Invocation;

namespace LambdaCluster.Grains.Pool;

/// <summary>
/// The right to send one invocation to one environment, granted by the version's pool. The caller
/// talks to the environment directly, so the payload never passes through the pool grain.
/// </summary>
[GenerateSerializer, Immutable, Alias("lambda.environment-lease")]
public sealed record EnvironmentLease(
    [property: Id(0)] string PoolKey,
    [property: Id(1)] string EnvironmentKey,
    [property: Id(2)] EnvironmentSpec Spec,
    [property: Id(3)] SiloAddress Silo,
    [property: Id(4)] IExecutionEnvironmentGrain Environment);

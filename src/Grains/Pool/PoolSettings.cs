using LambdaCluster.Runtimes.Invocation;

namespace LambdaCluster.Grains.Pool;

/// <summary>
/// What a version's pool runs and how far it may scale: the environment spec, the function's reserved
/// concurrency (null: it shares the account's unreserved concurrency) and the provisioned environment count, and the
/// version's State when it cannot run: Pending while its SnapStart snapshot is made, Failed when it could not be.
/// </summary>
[GenerateSerializer, Immutable, Alias("lambda.pool-settings")]
public sealed record PoolSettings(
    [property: Id(0)] EnvironmentSpec Spec,
    [property: Id(1)] int? ReservedConcurrency,
    [property: Id(2)] int ProvisionedConcurrency,
    [property: Id(3)] string? VersionState = null);

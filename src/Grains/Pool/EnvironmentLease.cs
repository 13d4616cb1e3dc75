using LambdaCluster.Grains.Environments;

namespace LambdaCluster.Grains.Pool;

/// <summary>
/// The right to send one invocation at a time to one environment, granted by the version's pool. It names the
/// environment and the function revision it serves, never the spec (the environment asks its pool for that only when
/// it starts a process), so no environment variable leaves the silos. The caller talks to the environment directly:
/// the payload never passes through the pool grain.
/// </summary>
[GenerateSerializer, Immutable, Alias("lambda.environment-lease")]
public sealed record EnvironmentLease
{
    /// <summary>The pool that granted it (<see cref="FunctionVersionKey"/>).</summary>
    [Id(0)] public required string PoolKey { get; init; }

    /// <summary>The environment (<see cref="EnvironmentKeys"/>): which silo runs it, and its id there.</summary>
    [Id(1)] public required string EnvironmentKey { get; init; }

    /// <summary>The code and configuration revision the environment runs; a newer one makes the lease stale.</summary>
    [Id(2)] public required string Revision { get; init; }

    [Id(3)] public required SiloAddress Silo { get; init; }

    [Id(4)] public required IExecutionEnvironmentGrain Environment { get; init; }

    /// <summary>The function's timeout in seconds, for a caller that must give up on a silent environment.</summary>
    [Id(5)] public required int TimeoutSeconds { get; init; }

    /// <summary>True when the environment was made for this lease: the first holder starts its process.</summary>
    [Id(6)] public bool Fresh { get; init; }

    /// <summary>
    /// True when the caller is on the environment's own silo: after the invocation that silo's dispatcher keeps the
    /// lease for the caller's next call instead of giving it back to the pool.
    /// </summary>
    [Id(7)] public bool Keep { get; init; }

    /// <summary>The number of this grant (see <see cref="HeldLease"/>); 0 for a lease that is not released (a provisioned INIT).</summary>
    [Id(8)] public long LeaseId { get; init; }

    /// <summary>This lease as it goes back to the pool.</summary>
    public HeldLease ToHeld() => new(EnvironmentKey, LeaseId);
}

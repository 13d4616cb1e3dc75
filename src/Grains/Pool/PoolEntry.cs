using LambdaCluster.Grains.Environments;

namespace LambdaCluster.Grains.Pool;

/// <summary>What a pool knows of one of its environments.</summary>
internal sealed class PoolEntry(string environmentKey, SiloAddress silo, string revision, bool provisioned)
{
    public string EnvironmentKey { get; } = environmentKey;

    /// <summary>The environment's grain reference, resolved once and handed out with every lease.</summary>
    public IExecutionEnvironmentGrain? Grain { get; set; }

    public SiloAddress Silo { get; } = silo;

    public string Revision { get; } = revision;

    /// <summary>Initialised ahead of traffic and kept regardless of the keep-warm window.</summary>
    public bool Provisioned { get; } = provisioned;

    /// <summary>False while a provisioned or pre-warmed environment runs its INIT.</summary>
    public bool Ready { get; set; } = !provisioned;

    /// <summary>Leased: running an invocation, or held by its silo's dispatcher between calls.</summary>
    public bool Leased { get; set; }

    /// <summary>
    /// Leased to a caller on another silo, so the lease comes back to the pool after each call (a caller on the
    /// environment's own silo keeps it in its dispatcher for its next calls). False while not leased, and for a lease
    /// adopted from an earlier activation (its caller is unknown: counted as kept, so no acquire waits for it).
    /// </summary>
    public bool ReturnsAfterEachCall { get; set; }

    /// <summary>The number of the current grant while leased (0 for one adopted from an earlier activation, whose number is unknown).</summary>
    public long LeaseId { get; set; }

    /// <summary>
    /// Started and not yet through INIT: it holds one of the starts the pool lets run at once (see
    /// <see cref="EnvironmentTable.Initializing"/>). Cleared by the environment's word, its first release or its removal.
    /// </summary>
    public bool Initializing { get; set; }

    /// <summary>When the pool started it (meaningful while <see cref="Initializing"/>).</summary>
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>Started ahead of a call the version's idle-time history predicted, and not leased since.</summary>
    public bool Prewarmed { get; set; }

    /// <summary>No process was started for it yet: its first lease is fresh.</summary>
    public bool Fresh { get; set; } = true;

    /// <summary>
    /// Through INIT (its word that INIT ended came under a lease, or it came back from a call or a provisioned INIT), so a
    /// leased warm environment is free again once its call ends: back at the pool within moments when
    /// <see cref="ReturnsAfterEachCall"/>, else when its silo's dispatcher gives it back or is asked to.
    /// </summary>
    public bool Warm { get; set; }

    public DateTimeOffset IdleSince { get; set; }
}

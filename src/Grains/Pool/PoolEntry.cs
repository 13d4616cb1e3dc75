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

    /// <summary>False while a provisioned environment runs its INIT.</summary>
    public bool Ready { get; set; } = !provisioned;

    public bool Busy { get; set; }

    /// <summary>Has finished an invocation (or its provisioned INIT), so a busy warm environment is likely back soon.</summary>
    public bool Warm { get; set; }

    public DateTimeOffset IdleSince { get; set; }
}

namespace LambdaCluster.Grains.Pool;

/// <summary>What a pool knows of one of its environments.</summary>
internal sealed class PoolEntry(string environmentKey, string revision)
{
    public string EnvironmentKey { get; } = environmentKey;

    public string Revision { get; } = revision;

    public bool Busy { get; set; } = true;

    public DateTimeOffset IdleSince { get; set; }
}

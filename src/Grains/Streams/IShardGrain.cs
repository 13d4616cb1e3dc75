namespace LambdaCluster.Grains.Streams;

/// <summary>One shard of a stream (key: <c>{stream}/{index}</c>): its records in sequence order, journaled before a put returns.</summary>
[Alias("lambda.IShardGrain")]
public interface IShardGrain : IGrainWithStringKey
{
    /// <summary>Appends records (partition key, data) in order; their sequence numbers.</summary>
    [Alias("Append")] Task<IReadOnlyList<string>> AppendAsync(IReadOnlyList<(string PartitionKey, byte[] Data)> records, int retentionHours);

    /// <summary>Up to <paramref name="limit"/> records from a position, oldest first.</summary>
    [Alias("Read"), Orleans.Concurrency.AlwaysInterleave] Task<ShardRead> ReadAsync(ShardPosition position, int limit, int retentionHours);

    /// <summary>The newest sequence number, or null for an empty shard (LATEST starts after it).</summary>
    [Alias("Latest"), Orleans.Concurrency.AlwaysInterleave] Task<string?> LatestAsync();

    [Alias("Delete")] Task DeleteAsync();
}

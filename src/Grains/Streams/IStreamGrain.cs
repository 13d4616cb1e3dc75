namespace LambdaCluster.Grains.Streams;

/// <summary>One stream (key: its name): its shard count and retention, and where each put record goes.</summary>
[Alias("lambda.IStreamGrain")]
public interface IStreamGrain : IGrainWithStringKey
{
    /// <summary>Creates the stream; false when one of that name exists already.</summary>
    [Alias("Create")] Task<bool> CreateAsync(int shardCount);

    [Alias("Describe"), Orleans.Concurrency.AlwaysInterleave] Task<StreamInfo?> DescribeAsync();

    /// <summary>Puts records, each to the shard its hash key falls in; per record, its shard index and sequence number.</summary>
    [Alias("Put")] Task<IReadOnlyList<(int Shard, string SequenceNumber)>> PutAsync(IReadOnlyList<(string PartitionKey, string? ExplicitHashKey, byte[] Data)> records);

    [Alias("Delete")] Task<bool> DeleteAsync();
}

using LambdaCluster.Grains.Functions;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace LambdaCluster.Grains.Streams;

/// <inheritdoc cref="IStreamGrain"/>
[Reentrant, GrainType("stream")]
public sealed class StreamGrain(
    [PersistentState("stream", GrainStorageNames.Functions)] IPersistentState<StreamState> state,
    IOptions<NodeOptions> node,
    TimeProvider time) : Grain, IStreamGrain
{
    /// <summary>Kinesis's default retention: 24 hours.</summary>
    public const int DefaultRetentionHours = 24;

    public async Task<bool> CreateAsync(int shardCount)
    {
        if (state.State.Info is not null)
        {
            return false;
        }

        state.State.Info = new StreamInfo(this.GetPrimaryKeyString(), shardCount, DefaultRetentionHours, time.GetUtcNow(), "PROVISIONED");
        await state.WriteStateAsync();
        await Registry.AddAsync(this.GetPrimaryKeyString());
        return true;
    }

    public Task<StreamInfo?> DescribeAsync() => Task.FromResult(state.State.Info);

    public async Task<IReadOnlyList<(int Shard, string SequenceNumber)>> PutAsync(IReadOnlyList<(string PartitionKey, string? ExplicitHashKey, byte[] Data)> records)
    {
        // Records for one shard go in one call, in the order they were given, so order per partition key holds.
        var info = state.State.Info ?? throw new KeyNotFoundException();
        var shards = records.Select(r => StreamKeys.ShardFor(r.PartitionKey, r.ExplicitHashKey, info.ShardCount)).ToArray();
        var results = new (int, string)[records.Count];
        await Task.WhenAll(Enumerable.Range(0, records.Count).GroupBy(i => shards[i]).Select(async group =>
        {
            var indices = group.ToList();
            var grain = GrainFactory.GetGrain<IShardGrain>(StreamKeys.ShardGrainKey(info.Name, group.Key));
            var sequences = await grain.AppendAsync(indices.Select(i => (records[i].PartitionKey, records[i].Data)).ToList(), info.RetentionPeriodHours);
            for (var j = 0; j < indices.Count; j++)
            {
                results[indices[j]] = (group.Key, sequences[j]);
            }
        }));
        return results;
    }

    public async Task<bool> DeleteAsync()
    {
        if (state.State.Info is not { } info)
        {
            return false;
        }

        await Task.WhenAll(Enumerable.Range(0, info.ShardCount).Select(i => GrainFactory.GetGrain<IShardGrain>(StreamKeys.ShardGrainKey(info.Name, i)).DeleteAsync()));
        await state.ClearStateAsync();
        state.State = new StreamState();
        await Registry.RemoveAsync(info.Name);
        DeactivateOnIdle();
        return true;
    }

    private IFunctionRegistryGrain Registry => GrainFactory.GetGrain<IFunctionRegistryGrain>(RegistryKeys.Streams(node.Value.AccountId));
}

using LambdaCluster.Runtimes.Storage;
using StackExchange.Redis;

namespace LambdaCluster.Runtimes.Journals;

/// <summary>
/// Journals as Redis Streams (<c>{prefix}journal:{name}</c>, one entry per record), for cluster mode: any silo can take
/// a journal over. Appends of one call are pipelined in order on the one connection.
/// </summary>
public sealed class RedisJournalStore(RedisConnection redis) : IJournalStore
{
    private const string Field = "r";

    public async Task<IReadOnlyList<string>> ReadAsync(string journal, CancellationToken cancellationToken)
    {
        var database = await redis.DatabaseAsync();
        var entries = await database.StreamRangeAsync(Key(journal));
        return entries.Select(e => e[Field].ToString()).ToList();
    }

    public async Task AppendAsync(string journal, IReadOnlyList<string> records, CancellationToken cancellationToken)
    {
        var database = await redis.DatabaseAsync();
        var key = Key(journal);
        await Task.WhenAll(records.Select(r => database.StreamAddAsync(key, Field, r)));
    }

    public async Task ReplaceAsync(string journal, IReadOnlyList<string> records, CancellationToken cancellationToken)
    {
        var database = await redis.DatabaseAsync();
        var key = Key(journal);
        var transaction = database.CreateTransaction();
        _ = transaction.KeyDeleteAsync(key);
        foreach (var record in records)
        {
            _ = transaction.StreamAddAsync(key, Field, record);
        }

        await transaction.ExecuteAsync();
    }

    public async Task DeleteAsync(string journal, CancellationToken cancellationToken)
    {
        var database = await redis.DatabaseAsync();
        await database.KeyDeleteAsync(Key(journal));
    }

    private RedisKey Key(string journal) => $"{redis.KeyPrefix}journal:{JournalNames.Checked(journal)}";
}

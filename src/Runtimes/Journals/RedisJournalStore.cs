using LambdaCluster.Runtimes.Storage;
using StackExchange.Redis;

namespace LambdaCluster.Runtimes.Journals;

/// <summary>Journals as Redis lists (<c>{prefix}journal:{name}</c>), for cluster mode: any silo can take a journal over.</summary>
public sealed class RedisJournalStore(RedisConnection redis) : IJournalStore
{
    public async Task<IReadOnlyList<string>> ReadAsync(string journal, CancellationToken cancellationToken)
    {
        var database = await redis.DatabaseAsync();
        var values = await database.ListRangeAsync(Key(journal));
        return values.Select(v => v.ToString()).ToList();
    }

    public async Task AppendAsync(string journal, IReadOnlyList<string> records, CancellationToken cancellationToken)
    {
        var database = await redis.DatabaseAsync();
        await database.ListRightPushAsync(Key(journal), records.Select(r => (RedisValue)r).ToArray());
    }

    public async Task ReplaceAsync(string journal, IReadOnlyList<string> records, CancellationToken cancellationToken)
    {
        var database = await redis.DatabaseAsync();
        var key = Key(journal);
        var transaction = database.CreateTransaction();
        _ = transaction.KeyDeleteAsync(key);
        if (records.Count > 0)
        {
            _ = transaction.ListRightPushAsync(key, records.Select(r => (RedisValue)r).ToArray());
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

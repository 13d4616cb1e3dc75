using LambdaCluster.Runtimes.Storage;
using StackExchange.Redis;

namespace LambdaCluster.Runtimes.Code;

/// <summary>Deployment packages as Redis strings <c>{prefix}blob:{sha256}</c> (cluster mode): every node reads the same blobs.</summary>
public sealed class RedisCodeStore(RedisConnection redis) : ICodeStore
{
    public async Task PutAsync(string sha256Hex, ReadOnlyMemory<byte> zip, CancellationToken cancellationToken)
    {
        var db = await redis.DatabaseAsync();
        await db.StringSetAsync(Key(sha256Hex), zip, when: When.NotExists);
    }

    public async Task<byte[]?> GetAsync(string sha256Hex, CancellationToken cancellationToken)
    {
        var db = await redis.DatabaseAsync();
        var value = await db.StringGetAsync(Key(sha256Hex));
        return value.IsNull ? null : (byte[])value!;
    }

    public async Task DeleteAsync(string sha256Hex, CancellationToken cancellationToken)
    {
        var db = await redis.DatabaseAsync();
        await db.KeyDeleteAsync(Key(sha256Hex));
    }

    private RedisKey Key(string sha256Hex) =>
        redis.KeyPrefix + "blob:" + (CodeHash.IsValidHex(sha256Hex) ? sha256Hex : throw new ArgumentException("Not a SHA-256 hex digest.", nameof(sha256Hex)));
}

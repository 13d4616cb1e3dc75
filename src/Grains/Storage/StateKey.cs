using System.Security.Cryptography;
using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Runtimes.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LambdaCluster.Grains.Storage;

/// <summary>The cluster's state encryption key, resolved once per node (see <see cref="StateEncryptionOptions.Key"/>).</summary>
public sealed class StateKey(IOptions<StateEncryptionOptions> options, IOptions<NodeOptions> node, IOptions<ClusterModeOptions> cluster, IServiceProvider services)
{
    private readonly Lazy<byte[]> _key = new(() => Resolve(options.Value, node.Value, cluster.Value, services));

    public byte[] Value => _key.Value;

    private static byte[] Resolve(StateEncryptionOptions options, NodeOptions node, ClusterModeOptions cluster, IServiceProvider services)
    {
        if (options.Key is { Length: > 0 } configured)
        {
            var key = Convert.FromBase64String(configured);
            return key.Length == 32 ? key : throw new InvalidOperationException($"{StateEncryptionOptions.Section}:Key must be the base64 of 32 bytes.");
        }

        return cluster.Enabled ? FromRedis(services.GetRequiredService<RedisConnection>()) : FromFile(Path.Combine(node.DataDirectory, "keys", "state.key"));
    }

    private static byte[] FromFile(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var fresh = RandomNumberGenerator.GetBytes(32);
            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            File.WriteAllBytes(temporary, fresh);
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException)
            {
                File.Delete(temporary); // another start won the race; use its key
            }
        }

        return File.ReadAllBytes(path);
    }

    /// <summary>
    /// Once per node: the first node to ask stores a key, every later one reads that key. Run on the thread pool:
    /// the first ask comes from a grain's storage write, and waiting on the grain's own scheduler would deadlock.
    /// </summary>
    private static byte[] FromRedis(RedisConnection redis) => Task.Run(async () =>
    {
        var db = await redis.DatabaseAsync();
        var name = (RedisKey)(redis.KeyPrefix + "keys:state");
        await db.StringSetAsync(name, RandomNumberGenerator.GetBytes(32), when: When.NotExists);
        return (byte[])(await db.StringGetAsync(name))!;
    }).GetAwaiter().GetResult();
}

using LambdaCluster.Runtimes.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LambdaCluster.Runtimes.Storage;

/// <summary>This node's one multiplexed connection to the cluster's Redis, opened on first use.</summary>
public sealed class RedisConnection(IOptions<ClusterModeOptions> options) : IAsyncDisposable
{
    private readonly Lazy<Task<ConnectionMultiplexer>> _connection = new(() => ConnectionMultiplexer.ConnectAsync(options.Value.Redis!));

    public string KeyPrefix { get; } = options.Value.KeyPrefix;

    public async Task<IDatabase> DatabaseAsync() => (await _connection.Value).GetDatabase();

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated)
        {
            await (await _connection.Value).DisposeAsync();
        }
    }
}

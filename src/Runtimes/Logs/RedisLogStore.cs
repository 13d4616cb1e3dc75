using System.Text;
using System.Text.Json;
using LambdaCluster.Runtimes.Storage;
using StackExchange.Redis;

namespace LambdaCluster.Runtimes.Logs;

/// <summary>
/// Log groups, streams and events in Redis (cluster mode), so that any node answers the Logs API for
/// environments on every node. Keys under <c>{prefix}logs:</c>: a hash of groups (creation time), a hash
/// of streams per group, a summary hash and an event list per stream. Appends are queued in memory and
/// written in one pipelined batch per flush.
/// </summary>
public sealed class RedisLogStore(RedisConnection redis, TimeProvider time) : ILogStore
{
    private readonly LogBatch _batch = new();

    private string Prefix => redis.KeyPrefix + "logs:";

    private RedisKey Groups => Prefix + "groups";

    private RedisKey GroupBytes => Prefix + "bytes";

    public void Append(string group, string stream, IReadOnlyList<LogEvent> events) => _batch.Add(group, stream, events);

    public Task FlushAsync(CancellationToken cancellationToken) => _batch.FlushAsync(async streams =>
    {
        var db = await redis.DatabaseAsync();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var writes = new List<Task>();
        foreach (var byStream in streams)
        {
            var (group, stream) = byStream.Key;
            var events = byStream.ToList();
            var bytes = events.Sum(e => (long)Encoding.UTF8.GetByteCount(e.Message));
            var lines = events.Select(e => (RedisValue)JsonSerializer.Serialize(new StoredLine(e.Timestamp, e.IngestionTime, e.Message), LogStoreJsonContext.Default.StoredLine)).ToArray();
            var meta = MetaKey(group, stream);
            writes.Add(db.HashSetAsync(Groups, group, now, When.NotExists));
            writes.Add(db.HashSetAsync(StreamsKey(group), stream, now, When.NotExists));
            writes.Add(db.ListRightPushAsync(EventsKey(group, stream), lines));
            writes.Add(db.HashSetAsync(meta, "first", events.Min(e => e.Timestamp), When.NotExists));
            writes.Add(db.HashSetAsync(meta, [new("last", events.Max(e => e.Timestamp)), new("ingest", events[^1].IngestionTime)]));
            writes.Add(db.HashIncrementAsync(meta, "bytes", bytes));
            writes.Add(db.HashIncrementAsync(GroupBytes, group, bytes));
        }

        await Task.WhenAll(writes);
    }, cancellationToken);

    public async Task<IReadOnlyList<LogGroupInfo>> DescribeGroupsAsync(string? prefix, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        var db = await redis.DatabaseAsync();
        var groups = await db.HashGetAllAsync(Groups);
        var bytes = (await db.HashGetAllAsync(GroupBytes)).ToDictionary(e => e.Name.ToString(), e => (long)e.Value, StringComparer.Ordinal);
        return groups
            .Select(g => g.Name.ToString())
            .Where(name => prefix is null || name.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name => new LogGroupInfo(name, (long)groups.First(g => g.Name == name).Value, bytes.GetValueOrDefault(name)))
            .ToList();
    }

    public async Task<IReadOnlyList<LogStreamInfo>?> DescribeStreamsAsync(string group, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        var db = await redis.DatabaseAsync();
        if (!await db.HashExistsAsync(Groups, group))
        {
            return null;
        }

        var streams = await db.HashGetAllAsync(StreamsKey(group));
        var metas = await Task.WhenAll(streams.Select(s => db.HashGetAllAsync(MetaKey(group, s.Name!))));
        return streams.Select((s, i) =>
        {
            var meta = metas[i].ToDictionary(e => e.Name.ToString(), e => (long)e.Value, StringComparer.Ordinal);
            return new LogStreamInfo(s.Name!, (long)s.Value, Optional(meta, "first"), Optional(meta, "last"), Optional(meta, "ingest"), meta.GetValueOrDefault("bytes"));
        }).ToList();
    }

    public async Task<IReadOnlyList<LogEvent>?> ReadStreamAsync(string group, string stream, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        var db = await redis.DatabaseAsync();
        if (!await db.HashExistsAsync(StreamsKey(group), stream))
        {
            return null;
        }

        var lines = await db.ListRangeAsync(EventsKey(group, stream));
        var events = new List<LogEvent>(lines.Length);
        foreach (var line in lines)
        {
            if (JsonSerializer.Deserialize(line.ToString(), LogStoreJsonContext.Default.StoredLine) is { } stored)
            {
                events.Add(new LogEvent(stored.T, stored.M, stored.I));
            }
        }

        return events;
    }

    public async Task<bool> DeleteGroupAsync(string group, CancellationToken cancellationToken)
    {
        var deleted = false;
        await _batch.ExclusiveAsync(async () =>
        {
            var db = await redis.DatabaseAsync();
            if (!await db.HashDeleteAsync(Groups, group))
            {
                return;
            }

            var streams = await db.HashKeysAsync(StreamsKey(group));
            var keys = streams.SelectMany(s => new[] { EventsKey(group, s!), MetaKey(group, s!) }).Append(StreamsKey(group)).ToArray();
            await db.KeyDeleteAsync(keys);
            await db.HashDeleteAsync(GroupBytes, group);
            deleted = true;
        }, cancellationToken, dropGroup: group);
        return deleted;
    }

    public async Task<bool> CreateGroupAsync(string group, CancellationToken cancellationToken)
    {
        var db = await redis.DatabaseAsync();
        return await db.HashSetAsync(Groups, group, time.GetUtcNow().ToUnixTimeMilliseconds(), When.NotExists);
    }

    private RedisKey StreamsKey(string group) => Prefix + "streams:" + group;

    private RedisKey MetaKey(string group, string stream) => Prefix + "meta:" + group + "\n" + stream;

    private RedisKey EventsKey(string group, string stream) => Prefix + "events:" + group + "\n" + stream;

    private static long? Optional(Dictionary<string, long> meta, string name) =>
        meta.TryGetValue(name, out var value) ? value : null;
}

using System.Text.Json;
using System.Text.Json.Serialization;
using LambdaCluster.Runtimes.Journals;

namespace LambdaCluster.Grains.Streams;

/// <inheritdoc cref="IShardGrain"/>
/// <remarks>
/// The records live in memory and in the shard's journal (a file, or a Redis Stream in cluster mode), one line per
/// record; records past the stream's retention are dropped from both now and then.
/// </remarks>
[GrainType("stream-shard")]
public sealed class ShardGrain(IJournalStore journals, TimeProvider time) : Grain, IShardGrain
{
    private readonly List<StreamRecord> _records = [];
    private long _counter;
    private int _index;

    private string Journal => $"streams/{this.GetPrimaryKeyString()}";

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        _index = int.Parse(key[(key.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        foreach (var line in await journals.ReadAsync(Journal, cancellationToken))
        {
            var stored = JsonSerializer.Deserialize(line, ShardJournalJsonContext.Default.StoredRecord)!;
            _records.Add(new StreamRecord(stored.S, stored.K, Convert.FromBase64String(stored.D), stored.T));
        }

        _counter = _records.Count == 0 ? 0 : long.Parse(_records[^1].SequenceNumber[7..], System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<string>> AppendAsync(IReadOnlyList<(string PartitionKey, byte[] Data)> records, int retentionHours)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var added = records.Select(r => new StreamRecord(StreamKeys.SequenceNumber(_index, ++_counter), r.PartitionKey, r.Data, now)).ToList();
        _records.AddRange(added);
        await journals.AppendAsync(Journal, added.Select(Line).ToList(), CancellationToken.None);
        await TrimAsync(retentionHours, now);
        return added.Select(r => r.SequenceNumber).ToList();
    }

    public Task<ShardRead> ReadAsync(ShardPosition position, int limit, int retentionHours)
    {
        var oldest = time.GetUtcNow().ToUnixTimeMilliseconds() - retentionHours * 3_600_000L;
        var start = Start(position);
        var slice = new List<StreamRecord>(Math.Min(limit, Math.Max(0, _records.Count - start)));
        for (var i = start; i < _records.Count && slice.Count < limit; i++)
        {
            if (_records[i].ArrivalMs >= oldest)
            {
                slice.Add(_records[i]);
            }
        }

        var behind = slice.Count == 0 || _records.Count == 0 ? 0 : Math.Max(0, _records[^1].ArrivalMs - slice[^1].ArrivalMs);
        return Task.FromResult(new ShardRead(slice, behind));
    }

    public Task<string?> LatestAsync() => Task.FromResult(_records.Count == 0 ? null : _records[^1].SequenceNumber);

    public async Task DeleteAsync()
    {
        _records.Clear();
        await journals.DeleteAsync(Journal, CancellationToken.None);
        DeactivateOnIdle();
    }

    /// <summary>The index of the first record a position reads.</summary>
    private int Start(ShardPosition position)
    {
        if (position.TimestampMs is { } timestamp)
        {
            var at = _records.FindIndex(r => r.ArrivalMs >= timestamp);
            return at < 0 ? _records.Count : at;
        }

        if (position.SequenceNumber is not { } sequence)
        {
            return 0;
        }

        // Sequence numbers have a fixed width: ordinal order is their order.
        var low = 0;
        var high = _records.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            var comparison = string.CompareOrdinal(_records[middle].SequenceNumber, sequence);
            if (comparison < 0 || (comparison == 0 && !position.Inclusive))
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private async Task TrimAsync(int retentionHours, long now)
    {
        var oldest = now - retentionHours * 3_600_000L;
        var expired = _records.FindIndex(r => r.ArrivalMs >= oldest);
        if (expired is > 0 and > 1000)
        {
            _records.RemoveRange(0, expired);
            await journals.ReplaceAsync(Journal, _records.Select(Line).ToList(), CancellationToken.None);
        }
    }

    private static string Line(StreamRecord record) =>
        JsonSerializer.Serialize(new StoredRecord(record.SequenceNumber, record.PartitionKey, Convert.ToBase64String(record.Data), record.ArrivalMs), ShardJournalJsonContext.Default.StoredRecord);

    internal sealed record StoredRecord(string S, string K, string D, long T);
}

[JsonSerializable(typeof(ShardGrain.StoredRecord))]
internal sealed partial class ShardJournalJsonContext : JsonSerializerContext;

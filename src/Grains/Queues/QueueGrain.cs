using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Runtimes.Journals;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace LambdaCluster.Grains.Queues;

/// <inheritdoc cref="IQueueGrain"/>
/// <remarks>
/// Reentrant so that long polls wait without blocking sends. Every method changes the in-memory queue synchronously
/// (no await in between), then waits for its journal records, which a single flush loop writes in the order the
/// changes were made. Replaying the journal on activation goes through the same Apply methods as live changes.
/// </remarks>
[Reentrant, GrainType("queue")]
public sealed partial class QueueGrain(IJournalStore journals, TimeProvider time, IOptions<NodeOptions> node, ILogger<QueueGrain> logger) : Grain, IQueueGrain
{
    private const long DeduplicationWindowMs = 5 * 60 * 1000;

    /// <summary>How long a message on its way to the dead-letter queue stays hidden, should the move fail.</summary>
    private const long DeadLetterMoveMs = 30_000;

    private readonly SortedDictionary<long, QueuedMessage> _byOrder = [];
    private readonly Dictionary<string, QueuedMessage> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long At, SentMessage Sent)> _deduplication = new(StringComparer.Ordinal);
    private readonly List<(string Line, TaskCompletionSource? Done)> _pending = [];
    private QueueSettings? _settings;
    private Dictionary<string, string> _tags = new(StringComparer.Ordinal);
    private long _nextOrder = 1;
    private int _journalRecords;
    private bool _flushing;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private string Name => this.GetPrimaryKeyString();

    private string Journal => $"queues/{Name}";

    private string Arn => QueueNames.Arn(node.Value.Region, node.Value.AccountId, Name);

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var lines = await journals.ReadAsync(Journal, cancellationToken);
        foreach (var line in lines)
        {
            Apply(JsonSerializer.Deserialize(line, QueueJournalJsonContext.Default.QueueJournalRecord)!);
        }

        _journalRecords = lines.Count;
        if (_settings is not null && _journalRecords > 1000 && _journalRecords > 4 * _byId.Count)
        {
            await CompactAsync(cancellationToken);
        }
    }

    public async Task CreateAsync(QueueSettings settings)
    {
        if (_settings is { } existing)
        {
            if (existing with { CreatedTimestamp = 0, LastModifiedTimestamp = 0 } != settings with { CreatedTimestamp = 0, LastModifiedTimestamp = 0 })
            {
                throw new QueueServiceException(QueueErrorType.QueueNameExists, "A queue already exists with the same name and a different value for attribute(s).");
            }

            return;
        }

        await Record(Apply(new QueueJournalRecord { Op = "settings", Settings = settings with { CreatedTimestamp = Now / 1000, LastModifiedTimestamp = Now / 1000 } }));
    }

    public Task<QueueSettings> GetSettingsAsync() => Task.FromResult(Settings);

    public Task<bool> ExistsAsync() => Task.FromResult(_settings is not null);

    public async Task SetSettingsAsync(QueueSettings settings)
    {
        var current = Settings;
        await Record(Apply(new QueueJournalRecord { Op = "settings", Settings = settings with { CreatedTimestamp = current.CreatedTimestamp, LastModifiedTimestamp = Now / 1000 } }));
        Signal(); // a shorter delay may have made messages visible
    }

    public Task<QueueCounts> CountsAsync()
    {
        _ = Settings;
        var now = Now;
        int visible = 0, inFlight = 0, delayed = 0;
        foreach (var message in _byOrder.Values)
        {
            if (message.VisibleAt <= now)
            {
                visible++;
            }
            else if (message.ReceiptHandle is not null)
            {
                inFlight++;
            }
            else
            {
                delayed++;
            }
        }

        return Task.FromResult(new QueueCounts(visible, inFlight, delayed));
    }

    public async Task TagAsync(IReadOnlyDictionary<string, string> tags)
    {
        _ = Settings;
        var merged = new Dictionary<string, string>(_tags, StringComparer.Ordinal);
        foreach (var (key, value) in tags)
        {
            merged[key] = value;
        }

        if (merged.Count > 50)
        {
            throw new QueueServiceException(QueueErrorType.InvalidParameterValue, $"Too many tags added for queue {Name}: a queue can have at most 50 tags.");
        }

        await Record(Apply(new QueueJournalRecord { Op = "tags", Tags = merged }));
    }

    public async Task UntagAsync(IReadOnlyList<string> keys)
    {
        _ = Settings;
        var remaining = _tags.Where(t => !keys.Contains(t.Key)).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        await Record(Apply(new QueueJournalRecord { Op = "tags", Tags = remaining }));
    }

    public Task<IReadOnlyDictionary<string, string>> ListTagsAsync()
    {
        _ = Settings;
        return Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>(_tags, StringComparer.Ordinal));
    }

    public async Task DeleteAsync()
    {
        _ = Settings;
        _settings = null;
        _tags.Clear();
        _byOrder.Clear();
        _byId.Clear();
        _deduplication.Clear();
        Signal();
        await FlushedAsync();
        await journals.DeleteAsync(Journal, CancellationToken.None);
        DeactivateOnIdle();
    }

    public async Task PurgeAsync()
    {
        _ = Settings;
        await Record(Apply(new QueueJournalRecord { Op = "purge" }));
    }

    public async Task<IReadOnlyList<SentMessage>> SendAsync(IReadOnlyList<OutgoingMessage> messages)
    {
        var settings = Settings;
        var now = Now;
        var sent = new List<SentMessage>(messages.Count);
        var records = new List<QueueJournalRecord>(messages.Count);
        foreach (var outgoing in messages)
        {
            Check(settings, outgoing);
            var deduplicationId = settings.FifoQueue ? outgoing.DeduplicationId ?? ContentHash(outgoing.Body) : null;
            if (deduplicationId is not null && _deduplication.TryGetValue(deduplicationId, out var earlier) && now - earlier.At < DeduplicationWindowMs)
            {
                sent.Add(earlier.Sent); // accepted, not enqueued again
                continue;
            }

            var order = _nextOrder;
            var message = new QueuedMessage
            {
                MessageId = Guid.NewGuid().ToString(),
                Order = order,
                Body = outgoing.Body,
                Md5OfBody = MessageMd5.Of(outgoing.Body),
                Md5OfAttributes = MessageMd5.Of(outgoing.Attributes),
                Attributes = outgoing.Attributes is { Count: > 0 } attributes ? new Dictionary<string, MessageAttributeValue>(attributes) : null,
                SentTimestamp = now,
                GroupId = outgoing.GroupId,
                DeduplicationId = deduplicationId,
                SequenceNumber = settings.FifoQueue ? order.ToString("D20", CultureInfo.InvariantCulture) : null,
                TraceHeader = outgoing.TraceHeader,
                SenderId = outgoing.SenderId,
                DeadLetterSourceArn = outgoing.DeadLetterSourceArn,
                VisibleAt = now + (outgoing.DelaySeconds ?? settings.DelaySeconds) * 1000L,
            };
            records.Add(Apply(new QueueJournalRecord { Op = "send", Message = message }));
            sent.Add(SentOf(message));
        }

        Signal();
        await Record([.. records]);
        return sent;
    }

    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages, int? visibilityTimeout, int waitSeconds)
    {
        // Flow: take what is visible now → if nothing and the caller long-polls, wait for a send or for the next
        // message to become visible (whichever comes first, within the wait) and take again.
        var deadline = Now + waitSeconds * 1000L;
        while (true)
        {
            var settings = Settings;
            var (taken, records, nextVisibleAt) = Take(settings, maxMessages, visibilityTimeout ?? settings.VisibilityTimeout);
            if (records.Count > 0)
            {
                await Record([.. records]);
            }

            var now = Now;
            if (taken.Count > 0 || now >= deadline)
            {
                return taken;
            }

            var wake = Math.Min(deadline, nextVisibleAt);
            await Task.WhenAny(_changed.Task, Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, wake - now)), time));
        }
    }

    public async Task<IReadOnlyList<QueueErrorType?>> DeleteMessagesAsync(IReadOnlyList<string> receiptHandles)
    {
        _ = Settings;
        var outcomes = new List<QueueErrorType?>(receiptHandles.Count);
        var records = new List<QueueJournalRecord>();
        foreach (var handle in receiptHandles)
        {
            if (QueueReceipts.MessageIdOf(handle) is not { } messageId)
            {
                outcomes.Add(QueueErrorType.ReceiptHandleIsInvalid);
                continue;
            }

            // Deleting a message that is already gone succeeds, as in SQS.
            if (_byId.ContainsKey(messageId))
            {
                records.Add(Apply(new QueueJournalRecord { Op = "delete", MessageId = messageId }));
            }

            outcomes.Add(null);
        }

        await Record([.. records]);
        return outcomes;
    }

    public async Task<IReadOnlyList<QueueErrorType?>> ChangeVisibilityAsync(IReadOnlyList<(string ReceiptHandle, int VisibilityTimeout)> changes)
    {
        _ = Settings;
        var now = Now;
        var outcomes = new List<QueueErrorType?>(changes.Count);
        var records = new List<QueueJournalRecord>();
        foreach (var (handle, timeout) in changes)
        {
            if (QueueReceipts.MessageIdOf(handle) is not { } messageId)
            {
                outcomes.Add(QueueErrorType.ReceiptHandleIsInvalid);
                continue;
            }

            if (!_byId.TryGetValue(messageId, out var message) || message.ReceiptHandle != handle || message.VisibleAt <= now)
            {
                outcomes.Add(QueueErrorType.MessageNotInflight);
                continue;
            }

            records.Add(Apply(new QueueJournalRecord { Op = "visibility", MessageId = messageId, VisibleAt = now + timeout * 1000L }));
            outcomes.Add(null);
        }

        Signal();
        await Record([.. records]);
        return outcomes;
    }

    public async Task<int> ReleaseInFlightAsync()
    {
        _ = Settings;
        var now = Now;
        var released = _byOrder.Values.Where(m => m.ReceiptHandle is not null && m.VisibleAt > now).ToList();
        var records = released.Select(m => Apply(new QueueJournalRecord { Op = "visibility", MessageId = m.MessageId, VisibleAt = now })).ToArray();
        Signal();
        await Record(records);
        return released.Count;
    }

    private QueueSettings Settings => _settings ?? throw QueueServiceException.NotFound();

    /// <summary>
    /// Picks up to <paramref name="max"/> messages to hand out, oldest first: expired ones are dropped, ones past their
    /// receive limit go to the dead-letter queue, and in a FIFO queue a message group with a message in flight is skipped.
    /// Also says when the next hidden message becomes visible.
    /// </summary>
    private (List<ReceivedMessage> Taken, List<QueueJournalRecord> Records, long NextVisibleAt) Take(QueueSettings settings, int max, int visibilityTimeout)
    {
        var now = Now;
        var retentionMs = settings.MessageRetentionPeriod * 1000L;
        var taken = new List<QueuedMessage>();
        var dropped = new List<QueuedMessage>();
        var deadLetters = new List<QueuedMessage>();
        var blockedGroups = settings.FifoQueue ? new HashSet<string>(StringComparer.Ordinal) : null;
        var nextVisibleAt = long.MaxValue;
        foreach (var message in _byOrder.Values)
        {
            if (message.SentTimestamp + retentionMs <= now)
            {
                dropped.Add(message);
                continue;
            }

            var group = message.GroupId ?? "";
            if (message.VisibleAt > now)
            {
                nextVisibleAt = Math.Min(nextVisibleAt, message.VisibleAt);
                blockedGroups?.Add(group);
                continue;
            }

            if (blockedGroups?.Contains(group) == true)
            {
                continue;
            }

            if (settings.DeadLetterQueue is not null && message.ReceiveCount >= settings.MaxReceiveCount)
            {
                deadLetters.Add(message);
                blockedGroups?.Add(group);
                continue;
            }

            taken.Add(message);
            if (taken.Count == max)
            {
                break;
            }
        }

        var records = new List<QueueJournalRecord>();
        foreach (var message in dropped)
        {
            records.Add(Apply(new QueueJournalRecord { Op = "delete", MessageId = message.MessageId }));
        }

        foreach (var message in deadLetters)
        {
            records.Add(Apply(new QueueJournalRecord { Op = "visibility", MessageId = message.MessageId, VisibleAt = now + DeadLetterMoveMs }));
            _ = MoveToDeadLetterQueueAsync(settings.DeadLetterQueue!, message);
        }

        var received = new List<ReceivedMessage>(taken.Count);
        foreach (var message in taken)
        {
            records.Add(Apply(new QueueJournalRecord
            {
                Op = "receive",
                MessageId = message.MessageId,
                VisibleAt = now + visibilityTimeout * 1000L,
                ReceiveCount = message.ReceiveCount + 1,
                FirstReceiveTimestamp = message.FirstReceiveTimestamp == 0 ? now : message.FirstReceiveTimestamp,
                ReceiptHandle = QueueReceipts.New(message.MessageId),
            }));
            received.Add(ReceivedOf(message));
        }

        return (received, records, nextVisibleAt);
    }

    /// <summary>Sends a message that went past its receive limit to the dead-letter queue, then deletes it here (at least once).</summary>
    private async Task MoveToDeadLetterQueueAsync(string deadLetterQueue, QueuedMessage message)
    {
        try
        {
            await GrainFactory.GetGrain<IQueueGrain>(deadLetterQueue).SendAsync([new OutgoingMessage
            {
                Body = message.Body,
                Attributes = message.Attributes,
                GroupId = message.GroupId,
                DeduplicationId = message.DeduplicationId,
                TraceHeader = message.TraceHeader,
                SenderId = message.SenderId ?? "AIDAIENQZJOLO23YVJ4VO",
                DeadLetterSourceArn = Arn,
            }]);
            if (_byId.ContainsKey(message.MessageId))
            {
                await Record(Apply(new QueueJournalRecord { Op = "delete", MessageId = message.MessageId }));
            }
        }
        catch (Exception e)
        {
            LogDeadLetterMoveFailed(logger, e, Name, deadLetterQueue);
        }
    }

    /// <summary>Changes the in-memory queue by one journal record (live or replayed) and returns the record.</summary>
    private QueueJournalRecord Apply(QueueJournalRecord record)
    {
        switch (record.Op)
        {
            case "settings":
                _settings = record.Settings;
                break;
            case "tags":
                _tags = new Dictionary<string, string>(record.Tags ?? [], StringComparer.Ordinal);
                break;
            case "send":
                var message = record.Message!;
                _byOrder[message.Order] = message;
                _byId[message.MessageId] = message;
                _nextOrder = Math.Max(_nextOrder, message.Order + 1);
                if (message.DeduplicationId is not null)
                {
                    _deduplication[message.DeduplicationId] = (message.SentTimestamp, SentOf(message));
                    PruneDeduplication(message.SentTimestamp);
                }

                break;
            case "receive" when _byId.TryGetValue(record.MessageId!, out var received):
                received.VisibleAt = record.VisibleAt;
                received.ReceiveCount = record.ReceiveCount;
                received.FirstReceiveTimestamp = record.FirstReceiveTimestamp;
                received.ReceiptHandle = record.ReceiptHandle;
                break;
            case "visibility" when _byId.TryGetValue(record.MessageId!, out var changed):
                changed.VisibleAt = record.VisibleAt;
                break;
            case "delete" when _byId.Remove(record.MessageId!, out var deleted):
                _byOrder.Remove(deleted.Order);
                break;
            case "purge":
                _byOrder.Clear();
                _byId.Clear();
                break;
        }

        return record;
    }

    private void PruneDeduplication(long now)
    {
        if (_deduplication.Count < 10_000)
        {
            return;
        }

        foreach (var (id, entry) in _deduplication.Where(d => now - d.Value.At >= DeduplicationWindowMs).ToList())
        {
            _deduplication.Remove(id);
        }
    }

    /// <summary>Queues records for the journal; the task completes once they are written (in order with everything before).</summary>
    private Task Record(params QueueJournalRecord[] records)
    {
        if (records.Length == 0)
        {
            return Task.CompletedTask;
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        for (var i = 0; i < records.Length; i++)
        {
            _pending.Add((JsonSerializer.Serialize(records[i], QueueJournalJsonContext.Default.QueueJournalRecord), i == records.Length - 1 ? done : null));
        }

        if (!_flushing)
        {
            _flushing = true;
            _ = FlushAsync();
        }

        return done.Task;
    }

    private async Task FlushAsync()
    {
        // Group commit: everything queued while one append was being written goes out in the next one.
        while (_pending.Count > 0)
        {
            var batch = _pending.ToList();
            _pending.Clear();
            try
            {
                await journals.AppendAsync(Journal, batch.Select(p => p.Line).ToList(), CancellationToken.None);

                _journalRecords += batch.Count;
                batch.ForEach(p => p.Done?.TrySetResult());
            }
            catch (Exception e)
            {
                batch.ForEach(p => p.Done?.TrySetException(e));
            }
        }

        _flushing = false;
        if (_settings is not null && _journalRecords > 10_000 && _journalRecords > 4 * _byId.Count)
        {
            await CompactAsync(CancellationToken.None);
        }
    }

    private async Task FlushedAsync()
    {
        while (_flushing)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(1), time);
        }
    }

    /// <summary>Rewrites the journal as the settings plus one record per live message.</summary>
    private async Task CompactAsync(CancellationToken cancellationToken)
    {
        _flushing = true;
        try
        {
            var records = new List<string>
            {
                JsonSerializer.Serialize(new QueueJournalRecord { Op = "settings", Settings = _settings }, QueueJournalJsonContext.Default.QueueJournalRecord),
                JsonSerializer.Serialize(new QueueJournalRecord { Op = "tags", Tags = _tags }, QueueJournalJsonContext.Default.QueueJournalRecord),
            };
            records.AddRange(_byOrder.Values.Select(m => JsonSerializer.Serialize(new QueueJournalRecord { Op = "send", Message = m }, QueueJournalJsonContext.Default.QueueJournalRecord)));
            await journals.ReplaceAsync(Journal, records, cancellationToken);
            _journalRecords = records.Count;
        }
        finally
        {
            _flushing = false;
        }

        if (_pending.Count > 0)
        {
            _flushing = true;
            _ = FlushAsync();
        }
    }

    private void Signal()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    private static void Check(QueueSettings settings, OutgoingMessage message)
    {
        var size = Encoding.UTF8.GetByteCount(message.Body);
        foreach (var (name, value) in message.Attributes ?? new Dictionary<string, MessageAttributeValue>())
        {
            size += Encoding.UTF8.GetByteCount(name) + Encoding.UTF8.GetByteCount(value.DataType)
                + (value.BinaryValue?.Length ?? Encoding.UTF8.GetByteCount(value.StringValue ?? ""));
        }

        if (size > settings.MaximumMessageSize)
        {
            throw new QueueServiceException(QueueErrorType.InvalidParameterValue, $"One or more parameters are invalid. Reason: Message must be shorter than {settings.MaximumMessageSize} bytes.");
        }

        if (settings.FifoQueue)
        {
            if (string.IsNullOrEmpty(message.GroupId))
            {
                throw new QueueServiceException(QueueErrorType.MissingParameter, "The request must contain the parameter MessageGroupId.");
            }

            if (message.DelaySeconds is > 0)
            {
                throw new QueueServiceException(QueueErrorType.InvalidParameterValue, $"Value {message.DelaySeconds} for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.");
            }

            if (message.DeduplicationId is null && !settings.ContentBasedDeduplication)
            {
                throw new QueueServiceException(QueueErrorType.InvalidParameterValue, "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly");
            }
        }
        else if (message.DeduplicationId is not null && message.DeadLetterSourceArn is null)
        {
            throw new QueueServiceException(QueueErrorType.InvalidParameterValue, $"Value {message.DeduplicationId} for parameter MessageDeduplicationId is invalid. Reason: The request includes a parameter that is not valid for this queue type.");
        }
    }

    private static string ContentHash(string body) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));

    private static SentMessage SentOf(QueuedMessage message) => new(message.MessageId, message.Md5OfBody, message.Md5OfAttributes, message.SequenceNumber);

    private static ReceivedMessage ReceivedOf(QueuedMessage message)
    {
        var system = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["SenderId"] = message.SenderId ?? "AIDAIENQZJOLO23YVJ4VO",
            ["SentTimestamp"] = message.SentTimestamp.ToString(CultureInfo.InvariantCulture),
            ["ApproximateReceiveCount"] = message.ReceiveCount.ToString(CultureInfo.InvariantCulture),
            ["ApproximateFirstReceiveTimestamp"] = message.FirstReceiveTimestamp.ToString(CultureInfo.InvariantCulture),
        };
        if (message.SequenceNumber is not null)
        {
            system["SequenceNumber"] = message.SequenceNumber;
            system["MessageDeduplicationId"] = message.DeduplicationId!;
            system["MessageGroupId"] = message.GroupId!;
        }

        if (message.TraceHeader is not null)
        {
            system["AWSTraceHeader"] = message.TraceHeader;
        }

        if (message.DeadLetterSourceArn is not null)
        {
            system["DeadLetterQueueSourceArn"] = message.DeadLetterSourceArn;
        }

        return new ReceivedMessage
        {
            MessageId = message.MessageId,
            ReceiptHandle = message.ReceiptHandle!,
            Body = message.Body,
            Md5OfBody = message.Md5OfBody,
            Md5OfAttributes = message.Md5OfAttributes,
            Attributes = message.Attributes,
            SystemAttributes = system,
        };
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Moving a message of queue {Queue} to its dead-letter queue {DeadLetterQueue} failed; it stays and is retried")]
    private static partial void LogDeadLetterMoveFailed(ILogger logger, Exception exception, string queue, string deadLetterQueue);
}

namespace LambdaCluster.Grains.Queues;

/// <summary>
/// One queue (key: its name), the single place its messages are kept and handed out: SQS's semantics of visibility
/// timeouts, delays, long polling, redrive to a dead-letter queue and FIFO ordering with deduplication. Every change
/// is in the queue's journal before the call returns.
/// </summary>
[Alias("lambda.IQueueGrain")]
public interface IQueueGrain : IGrainWithStringKey
{
    /// <summary>Creates the queue, or confirms it exists with the same settings (else QueueNameExists).</summary>
    [Alias("Create")] Task CreateAsync(QueueSettings settings);

    /// <summary>The settings, or QueueDoesNotExist.</summary>
    [Alias("GetSettings")] Task<QueueSettings> GetSettingsAsync();

    [Alias("Exists")] Task<bool> ExistsAsync();

    [Alias("SetSettings")] Task SetSettingsAsync(QueueSettings settings);

    [Alias("Counts")] Task<QueueCounts> CountsAsync();

    /// <summary>Adds or replaces tags (at most 50 in all).</summary>
    [Alias("Tag")] Task TagAsync(IReadOnlyDictionary<string, string> tags);

    [Alias("Untag")] Task UntagAsync(IReadOnlyList<string> keys);

    [Alias("ListTags")] Task<IReadOnlyDictionary<string, string>> ListTagsAsync();

    [Alias("Delete")] Task DeleteAsync();

    [Alias("Purge")] Task PurgeAsync();

    [Alias("Send")] Task<IReadOnlyList<SentMessage>> SendAsync(IReadOnlyList<OutgoingMessage> messages);

    /// <summary>Up to <paramref name="maxMessages"/> visible messages, waiting up to <paramref name="waitSeconds"/> for one to arrive.</summary>
    [Alias("Receive"), ResponseTimeout("00:01:00")]
    Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages, int? visibilityTimeout, int waitSeconds);

    /// <summary>Deletes by receipt handle; per handle, null when deleted or the error it met.</summary>
    [Alias("DeleteMessages")] Task<IReadOnlyList<QueueErrorType?>> DeleteMessagesAsync(IReadOnlyList<string> receiptHandles);

    /// <summary>
    /// Makes every in-flight message visible again at once. For a queue with one consumer (a function's internal queue
    /// of asynchronous events): a new consumer knows that whatever is in flight was abandoned by the one before it.
    /// </summary>
    [Alias("ReleaseInFlight")] Task<int> ReleaseInFlightAsync();

    /// <summary>Changes the visibility of in-flight messages; per handle, null when changed or the error it met.</summary>
    [Alias("ChangeVisibility")] Task<IReadOnlyList<QueueErrorType?>> ChangeVisibilityAsync(IReadOnlyList<(string ReceiptHandle, int VisibilityTimeout)> changes);
}

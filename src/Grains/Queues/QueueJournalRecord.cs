using System.Text.Json.Serialization;

namespace LambdaCluster.Grains.Queues;

/// <summary>One line of a queue's journal: the queue's settings, a message sent, received, made visible again, deleted, or a purge.</summary>
public sealed class QueueJournalRecord
{
    /// <summary>settings | tags | send | receive | visibility | delete | purge</summary>
    public required string Op { get; init; }
    public QueueSettings? Settings { get; init; }
    public QueuedMessage? Message { get; init; }
    public string? MessageId { get; init; }
    public long VisibleAt { get; init; }
    public int ReceiveCount { get; init; }
    public long FirstReceiveTimestamp { get; init; }
    public string? ReceiptHandle { get; init; }
    /// <summary>The queue's whole tag set after a TagQueue or UntagQueue.</summary>
    public Dictionary<string, string>? Tags { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(QueueJournalRecord))]
internal sealed partial class QueueJournalJsonContext : JsonSerializerContext;

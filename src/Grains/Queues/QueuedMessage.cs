namespace LambdaCluster.Grains.Queues;

/// <summary>A message while it is in its queue: what was sent, plus its delivery state. Also its journal form.</summary>
public sealed class QueuedMessage
{
    public required string MessageId { get; init; }
    public required long Order { get; init; }
    public required string Body { get; init; }
    public required string Md5OfBody { get; init; }
    public string? Md5OfAttributes { get; init; }
    public Dictionary<string, MessageAttributeValue>? Attributes { get; init; }
    public required long SentTimestamp { get; init; }
    public string? GroupId { get; init; }
    public string? DeduplicationId { get; init; }
    public string? SequenceNumber { get; init; }
    public string? TraceHeader { get; init; }
    public string? SenderId { get; init; }
    public string? DeadLetterSourceArn { get; init; }

    /// <summary>Unix milliseconds from which the message may be received (after a delay, or once its visibility timeout ends).</summary>
    public long VisibleAt { get; set; }
    public int ReceiveCount { get; set; }
    public long FirstReceiveTimestamp { get; set; }
    /// <summary>The handle of the latest receive; null until received.</summary>
    public string? ReceiptHandle { get; set; }
}

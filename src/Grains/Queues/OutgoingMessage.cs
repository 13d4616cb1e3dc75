namespace LambdaCluster.Grains.Queues;

/// <summary>One message handed to a queue (SendMessage, a batch entry, a dead-letter move, a destination record).</summary>
[GenerateSerializer, Immutable, Alias("lambda.queue-outgoing-message")]
public sealed record OutgoingMessage
{
    [Id(0)] public required string Body { get; init; }
    [Id(1)] public IReadOnlyDictionary<string, MessageAttributeValue>? Attributes { get; init; }
    /// <summary>Per-message delay in seconds; null takes the queue's DelaySeconds.</summary>
    [Id(2)] public int? DelaySeconds { get; init; }
    [Id(3)] public string? GroupId { get; init; }
    [Id(4)] public string? DeduplicationId { get; init; }
    [Id(5)] public string? TraceHeader { get; init; }
    [Id(6)] public string SenderId { get; init; } = "AIDAIENQZJOLO23YVJ4VO";
    /// <summary>The queue a dead-letter move came from.</summary>
    [Id(7)] public string? DeadLetterSourceArn { get; init; }
}

namespace LambdaCluster.Grains.Queues;

/// <summary>What SendMessage answers for one message (a FIFO duplicate gets the original's id and sequence number).</summary>
[GenerateSerializer, Immutable, Alias("lambda.queue-sent-message")]
public sealed record SentMessage(
    [property: Id(0)] string MessageId,
    [property: Id(1)] string Md5OfBody,
    [property: Id(2)] string? Md5OfAttributes,
    [property: Id(3)] string? SequenceNumber);

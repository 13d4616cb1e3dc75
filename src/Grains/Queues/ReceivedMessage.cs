namespace LambdaCluster.Grains.Queues;

/// <summary>One message as ReceiveMessage hands it out, with every system attribute (the API picks what was asked for).</summary>
[GenerateSerializer, Immutable, Alias("lambda.queue-received-message")]
public sealed record ReceivedMessage
{
    [Id(0)] public required string MessageId { get; init; }
    [Id(1)] public required string ReceiptHandle { get; init; }
    [Id(2)] public required string Body { get; init; }
    [Id(3)] public required string Md5OfBody { get; init; }
    [Id(4)] public string? Md5OfAttributes { get; init; }
    [Id(5)] public IReadOnlyDictionary<string, MessageAttributeValue>? Attributes { get; init; }
    [Id(6)] public required IReadOnlyDictionary<string, string> SystemAttributes { get; init; }
}

namespace LambdaCluster.Grains.Streams;

/// <summary>One record of a shard: its sequence number, partition key, data and arrival time (Unix milliseconds).</summary>
[GenerateSerializer, Immutable, Alias("lambda.stream-record")]
public sealed record StreamRecord(
    [property: Id(0)] string SequenceNumber,
    [property: Id(1)] string PartitionKey,
    [property: Id(2)] byte[] Data,
    [property: Id(3)] long ArrivalMs);

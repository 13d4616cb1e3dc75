namespace LambdaCluster.Grains.Streams;

/// <summary>
/// Where a read starts in a shard: after (or at) a sequence number, at the first record arriving at or after a time,
/// or from the oldest record (no sequence, no time).
/// </summary>
[GenerateSerializer, Immutable, Alias("lambda.shard-position")]
public sealed record ShardPosition(
    [property: Id(0)] string? SequenceNumber,
    [property: Id(1)] bool Inclusive,
    [property: Id(2)] long? TimestampMs)
{
    public static readonly ShardPosition TrimHorizon = new(null, false, null);

    public static ShardPosition After(string sequenceNumber) => new(sequenceNumber, false, null);
}

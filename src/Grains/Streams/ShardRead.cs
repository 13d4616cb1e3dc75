namespace LambdaCluster.Grains.Streams;

/// <summary>What a read of a shard returned, and how far behind the newest record the reader is.</summary>
[GenerateSerializer, Immutable, Alias("lambda.shard-read")]
public sealed record ShardRead(
    [property: Id(0)] IReadOnlyList<StreamRecord> Records,
    [property: Id(1)] long MillisBehindLatest);

namespace LambdaCluster.Grains.Streams;

/// <summary>A stream as DescribeStream reports it.</summary>
[GenerateSerializer, Immutable, Alias("lambda.stream-info")]
public sealed record StreamInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] int ShardCount,
    [property: Id(2)] int RetentionPeriodHours,
    [property: Id(3)] DateTimeOffset Created,
    [property: Id(4)] string StreamMode);

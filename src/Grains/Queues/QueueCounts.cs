namespace LambdaCluster.Grains.Queues;

/// <summary>The approximate counts GetQueueAttributes reports.</summary>
[GenerateSerializer, Immutable, Alias("lambda.queue-counts")]
public sealed record QueueCounts(
    [property: Id(0)] int Visible,
    [property: Id(1)] int InFlight,
    [property: Id(2)] int Delayed);

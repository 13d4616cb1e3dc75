namespace LambdaCluster.Grains.Queues;

/// <summary>A queue's settable attributes, with SQS's defaults.</summary>
[GenerateSerializer, Immutable, Alias("lambda.queue-settings")]
public sealed record QueueSettings
{
    [Id(0)] public int VisibilityTimeout { get; init; } = 30;
    [Id(1)] public int MessageRetentionPeriod { get; init; } = 345_600;
    [Id(2)] public int DelaySeconds { get; init; }
    [Id(3)] public int MaximumMessageSize { get; init; } = 262_144;
    [Id(4)] public int ReceiveMessageWaitTimeSeconds { get; init; }
    /// <summary>The RedrivePolicy JSON as set (deadLetterTargetArn, maxReceiveCount), or null.</summary>
    [Id(5)] public string? RedrivePolicy { get; init; }
    [Id(6)] public bool FifoQueue { get; init; }
    [Id(7)] public bool ContentBasedDeduplication { get; init; }
    [Id(8)] public long CreatedTimestamp { get; init; }
    [Id(9)] public long LastModifiedTimestamp { get; init; }
    /// <summary>Dead-letter queue name and receive count from <see cref="RedrivePolicy"/>, parsed when it was set.</summary>
    [Id(10)] public string? DeadLetterQueue { get; init; }
    [Id(11)] public int MaxReceiveCount { get; init; }
    [Id(12)] public string? Policy { get; init; }
    [Id(13)] public string? RedriveAllowPolicy { get; init; }
    [Id(14)] public bool SqsManagedSseEnabled { get; init; } = true;
}

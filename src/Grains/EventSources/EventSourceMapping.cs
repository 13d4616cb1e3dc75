namespace LambdaCluster.Grains.EventSources;

/// <summary>An event source mapping's configuration (Create/UpdateEventSourceMapping), with Lambda's defaults applied.</summary>
[GenerateSerializer, Immutable, Alias("lambda.event-source-mapping")]
public sealed record EventSourceMapping
{
    [Id(0)] public required string Uuid { get; init; }
    [Id(1)] public required string EventSourceArn { get; init; }
    [Id(2)] public required string FunctionName { get; init; }
    /// <summary>The qualifier the mapping invokes (a version or an alias), or null for $LATEST.</summary>
    [Id(3)] public string? Qualifier { get; init; }
    [Id(4)] public bool Enabled { get; init; } = true;
    [Id(5)] public int BatchSize { get; init; } = 10;
    [Id(6)] public int MaximumBatchingWindowInSeconds { get; init; }
    [Id(7)] public bool ReportBatchItemFailures { get; init; }
    /// <summary>SQS: the cap on concurrent invocations (ScalingConfig.MaximumConcurrency), or null.</summary>
    [Id(8)] public int? MaximumConcurrency { get; init; }
    [Id(9)] public DateTimeOffset LastModified { get; init; }
    [Id(10)] public string LastProcessingResult { get; init; } = "No records processed";
    /// <summary>Streams: TRIM_HORIZON, LATEST or AT_TIMESTAMP.</summary>
    [Id(11)] public string? StartingPosition { get; init; }
    [Id(12)] public DateTimeOffset? StartingPositionTimestamp { get; init; }
    /// <summary>Streams: concurrent batches per shard (1-10), order kept per partition key.</summary>
    [Id(13)] public int ParallelizationFactor { get; init; } = 1;
    [Id(14)] public bool BisectBatchOnFunctionError { get; init; }
    /// <summary>Streams: retries of a failed batch; -1 retries until the record expires.</summary>
    [Id(15)] public int MaximumRetryAttempts { get; init; } = -1;
    /// <summary>Streams: records older than this are discarded; -1 never.</summary>
    [Id(16)] public int MaximumRecordAgeInSeconds { get; init; } = -1;
    /// <summary>Streams: where a discarded batch's record goes (an SQS queue ARN).</summary>
    [Id(17)] public string? OnFailureDestination { get; init; }
    /// <summary>The mapping's tags (CreateEventSourceMapping's Tags, then TagResource/UntagResource).</summary>
    [Id(18)] public IReadOnlyDictionary<string, string>? Tags { get; init; }

    /// <summary>True for a Kinesis stream source.</summary>
    public bool IsStream => EventSourceArn.StartsWith("arn:aws:kinesis:", StringComparison.Ordinal);
}

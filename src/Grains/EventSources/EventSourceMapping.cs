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
}

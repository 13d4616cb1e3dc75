namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>EventSourceMappingConfiguration as Lambda answers it (LastModified in epoch seconds).</summary>
public sealed class EventSourceMappingConfigurationDto
{
    public required string UUID { get; init; }
    public int BatchSize { get; init; }
    public int MaximumBatchingWindowInSeconds { get; init; }
    public required string EventSourceArn { get; init; }
    public required string FunctionArn { get; init; }
    public double LastModified { get; init; }
    public string? LastProcessingResult { get; init; }
    public required string State { get; init; }
    public string StateTransitionReason { get; init; } = "USER_INITIATED";
    public IReadOnlyList<string> FunctionResponseTypes { get; init; } = [];
    public ScalingConfigDto? ScalingConfig { get; init; }
    public required string EventSourceMappingArn { get; init; }
    public string? StartingPosition { get; init; }
    public double? StartingPositionTimestamp { get; init; }
    public int? ParallelizationFactor { get; init; }
    public bool? BisectBatchOnFunctionError { get; init; }
    public int? MaximumRetryAttempts { get; init; }
    public int? MaximumRecordAgeInSeconds { get; init; }
    public int? TumblingWindowInSeconds { get; init; }
    public DestinationConfigDto? DestinationConfig { get; init; }
}

namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>Create/UpdateEventSourceMapping's request (the members this cluster serves; others are refused, not ignored).</summary>
public sealed class EventSourceMappingRequestDto
{
    public string? EventSourceArn { get; init; }
    public string? FunctionName { get; init; }
    public bool? Enabled { get; init; }
    public int? BatchSize { get; init; }
    public int? MaximumBatchingWindowInSeconds { get; init; }
    public string? StartingPosition { get; init; }
    public double? StartingPositionTimestamp { get; init; }
    public IReadOnlyList<string>? FunctionResponseTypes { get; init; }
    public ScalingConfigDto? ScalingConfig { get; init; }
    public System.Text.Json.JsonElement? FilterCriteria { get; init; }
    public int? ParallelizationFactor { get; init; }
    public bool? BisectBatchOnFunctionError { get; init; }
    public int? MaximumRetryAttempts { get; init; }
    public int? MaximumRecordAgeInSeconds { get; init; }
    public DestinationConfigDto? DestinationConfig { get; init; }
    public int? TumblingWindowInSeconds { get; init; }
    public Dictionary<string, string>? Tags { get; init; }
}

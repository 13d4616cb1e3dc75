namespace LambdaCluster.Gateway.Console.Model;

/// <summary>
/// One minute of a function's figures summed over the cluster's nodes (CloudWatch's Lambda metrics at 1-minute
/// resolution): Start is ISO 8601; durations are milliseconds within 10 % (null in a minute without invocations).
/// </summary>
public sealed record MetricPointDto(
    string Start,
    long Invocations,
    long Errors,
    long Throttles,
    int ConcurrentExecutions,
    double? DurationP50,
    double? DurationP99,
    double? DurationMaximum);

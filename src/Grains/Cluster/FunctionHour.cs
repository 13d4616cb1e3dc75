namespace LambdaCluster.Grains.Cluster;

/// <summary>One function's last hour on one node (sums of its <see cref="Runtimes.Telemetry.MetricMinute"/>s).</summary>
[GenerateSerializer, Immutable, Alias("lambda.function-hour")]
public sealed record FunctionHour(
    [property: Id(0)] string FunctionName,
    [property: Id(1)] long Invocations,
    [property: Id(2)] long Errors,
    [property: Id(3)] long Throttles);

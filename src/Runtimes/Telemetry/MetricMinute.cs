namespace LambdaCluster.Runtimes.Telemetry;

/// <summary>
/// One function's CloudWatch-style figures for one minute on one node: the console's Monitor graphs and the cluster page
/// read these, summed over nodes. <see cref="Durations"/> is a sparse histogram (pairs of bucket index and count, see
/// <see cref="DurationBuckets"/>) so that nodes' minutes merge and percentiles come out of the merge.
/// </summary>
[GenerateSerializer, Immutable, Alias("lambda.metric-minute")]
public sealed record MetricMinute(
    [property: Id(0)] long Minute,
    [property: Id(1)] long Invocations,
    [property: Id(2)] long Errors,
    [property: Id(3)] long Throttles,
    [property: Id(4)] int ConcurrentExecutions,
    [property: Id(5)] int[] Durations)
{
    /// <summary>The minute's start as a time (<see cref="Minute"/> counts minutes since the Unix epoch).</summary>
    public DateTimeOffset Start => DateTimeOffset.FromUnixTimeSeconds(Minute * 60);
}

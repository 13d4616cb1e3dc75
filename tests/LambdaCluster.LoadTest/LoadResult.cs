namespace LambdaCluster.LoadTest;

/// <summary>What one run saw: every latency of the measured phase, and outcomes by kind.</summary>
public sealed record LoadResult(TimeSpan Elapsed, long[] LatencyTicks, IReadOnlyDictionary<string, long> Outcomes, long ColdStarts)
{
    public const string Ok = "ok";

    public long Requests => LatencyTicks.Length;

    public long Throttles => Outcomes.GetValueOrDefault("TooManyRequestsException");

    public long Errors => Requests - Outcomes.GetValueOrDefault(Ok) - Throttles;

    public double Throughput => Requests / Elapsed.TotalSeconds;

    /// <summary>Latency at a percentile (0-100) in milliseconds; LatencyTicks is sorted.</summary>
    public double Percentile(double p) =>
        LatencyTicks.Length == 0 ? 0 : LatencyTicks[Math.Min(LatencyTicks.Length - 1, (int)Math.Ceiling(p / 100 * LatencyTicks.Length) - 1 is var i && i < 0 ? 0 : i)] * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
}

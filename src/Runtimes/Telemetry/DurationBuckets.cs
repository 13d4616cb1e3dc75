namespace LambdaCluster.Runtimes.Telemetry;

/// <summary>
/// Exponential buckets for invocation durations: bucket i holds durations up to 0.01 ms × 1.1^i, so a percentile read
/// off merged buckets is within 10 % of the true one, from 10 µs (bucket 0 holds everything shorter) to the 900 s timeout in 194 buckets.
/// </summary>
public static class DurationBuckets
{
    private const double Smallest = 0.01;
    private static readonly double LogGrowth = Math.Log(1.1);

    public const int Count = 194;

    /// <summary>The bucket of a duration in milliseconds.</summary>
    public static int Of(double milliseconds) =>
        milliseconds <= Smallest || double.IsNaN(milliseconds) ? 0 : Math.Min(Count - 1, (int)Math.Ceiling(Math.Log(milliseconds / Smallest) / LogGrowth));

    /// <summary>A bucket's upper bound in milliseconds: what a percentile falling in it reports.</summary>
    public static double UpperBound(int bucket) => Smallest * Math.Pow(1.1, bucket);

    /// <summary>
    /// The <paramref name="percentile"/> (0-100) of the durations in <paramref name="counts"/> (one count per bucket), in
    /// milliseconds; null when there are none, as CloudWatch leaves a minute without datapoints empty.
    /// </summary>
    public static double? Percentile(ReadOnlySpan<long> counts, double percentile)
    {
        long total = 0;
        foreach (var count in counts)
        {
            total += count;
        }

        if (total == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(total * percentile / 100));
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return UpperBound(i);
            }
        }

        return UpperBound(counts.Length - 1);
    }
}

namespace LambdaCluster.Grains.Pool.KeepWarm;

/// <summary>
/// The distribution of one function version's idle times: how long its pool sat with nothing leased, from the last
/// release to the next acquire. Counted in bins of <see cref="BinWidth"/> (1 minute) up to <see cref="Range"/> (4 hours
/// by default); longer idle times are only counted as out of range. This is the idle-time histogram of the hybrid
/// histogram policy in Shahrad et al., "Serverless in the Wild: Characterizing and Optimizing the Serverless Workload
/// at a Large Cloud Provider", USENIX ATC 2020, which uses the same bins and range.
/// </summary>
/// <remarks>Pure and not thread-safe: one pool owns it. Kept in memory only: a new activation of the pool starts empty.</remarks>
internal sealed class IdleTimeHistogram
{
    /// <summary>Width of one bin: 1 minute, as in the paper.</summary>
    public static readonly TimeSpan BinWidth = TimeSpan.FromMinutes(1);

    /// <summary>The paper's range: 4 hours.</summary>
    public static readonly TimeSpan DefaultRange = TimeSpan.FromHours(4);

    private readonly int[] _bins;

    /// <param name="range">The longest idle time binned (a whole number of minutes); longer ones count as out of range.</param>
    public IdleTimeHistogram(TimeSpan range)
    {
        if (range < BinWidth || range.Ticks % BinWidth.Ticks != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(range), range, "The range must be a positive whole number of minutes.");
        }

        Range = range;
        _bins = new int[range.Ticks / BinWidth.Ticks];
    }

    public IdleTimeHistogram()
        : this(DefaultRange)
    {
    }

    /// <summary>The longest idle time binned; the upper edge of the last bin.</summary>
    public TimeSpan Range { get; }

    /// <summary>Idle times recorded within the range.</summary>
    public int InRange { get; private set; }

    /// <summary>Idle times recorded at or beyond the range (the paper's out-of-bounds idle times).</summary>
    public int OutOfRange { get; private set; }

    /// <summary>Every idle time recorded.</summary>
    public int Count => InRange + OutOfRange;

    /// <summary>How many idle times fell in bin <paramref name="index"/> (from index minutes up to index + 1).</summary>
    public int this[int index] => _bins[index];

    public void Record(TimeSpan idle)
    {
        if (idle < TimeSpan.Zero)
        {
            idle = TimeSpan.Zero; // clocks of different silos: an acquire that seems to precede the release was back to back
        }

        if (idle >= Range)
        {
            OutOfRange++;
            return;
        }

        _bins[idle.Ticks / BinWidth.Ticks]++;
        InRange++;
    }

    /// <summary>
    /// The bin holding the <paramref name="percentile"/>th idle time (nearest rank over every idle time recorded), as
    /// its lower and upper edges; an out-of-range rank is the range itself (both edges). Null while nothing is recorded.
    /// </summary>
    public (TimeSpan From, TimeSpan To)? PercentileBin(double percentile)
    {
        if (Count == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (int)Math.Ceiling(percentile / 100 * Count));
        var seen = 0;
        for (var i = 0; i < _bins.Length; i++)
        {
            seen += _bins[i];
            if (seen >= rank)
            {
                return (BinWidth * i, BinWidth * (i + 1));
            }
        }

        return (Range, Range);
    }

    /// <summary>
    /// Coefficient of variation (population standard deviation over mean) of the in-range bin counts: high when the
    /// idle times gather in a few bins (a pattern worth predicting from), low when they spread evenly. 0 when empty.
    /// </summary>
    public double CoefficientOfVariation()
    {
        if (InRange == 0)
        {
            return 0;
        }

        var mean = (double)InRange / _bins.Length;
        var variance = _bins.Sum(count => (count - mean) * (count - mean)) / _bins.Length;
        return Math.Sqrt(variance) / mean;
    }
}

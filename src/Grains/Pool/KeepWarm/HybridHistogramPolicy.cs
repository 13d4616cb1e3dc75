namespace LambdaCluster.Grains.Pool.KeepWarm;

/// <summary>
/// Chooses a pool's <see cref="KeepWarmWindows"/> from its <see cref="IdleTimeHistogram"/>: the hybrid histogram policy
/// of Shahrad et al., "Serverless in the Wild", USENIX ATC 2020. When the histogram is representative,
/// the pre-warm window is its head (the 5th-percentile idle time, less a 10% margin) and the keep-alive window reaches
/// its tail (the 99th percentile, plus 10%); when it is not, the node's fixed keep-warm applies. The paper forecasts
/// idle times with ARIMA for applications with many out-of-range idle times; here a version whose idle times are
/// mostly out of range keeps the fixed window.
/// </summary>
internal static class HybridHistogramPolicy
{
    /// <summary>Percentile of the idle times that sets the pre-warm window (its bin's lower edge).</summary>
    public const double HeadPercentile = 5;

    /// <summary>Percentile of the idle times the keep-alive window reaches (its bin's upper edge).</summary>
    public const double TailPercentile = 99;

    /// <summary>
    /// The paper's 10% margin, taken off the head (pre-warm a little early) and added to the tail (keep a little longer):
    /// with 1-minute bins, it absorbs idle times that drift a little from one period to the next.
    /// </summary>
    public const double Margin = 0.10;

    /// <summary>
    /// Fewest idle times to predict from. With only one or two, the coefficient of variation is high whatever they are
    /// (two samples among 240 bins read as a sharp pattern), so the count has to guard against predicting from chance.
    /// </summary>
    public const int MinSamples = 3;

    /// <summary>
    /// Lowest coefficient of variation of the bin counts for the histogram to count as representative: idle times spread
    /// evenly over the range (a flat histogram, CV near 0) say nothing about when the next call comes.
    /// </summary>
    public const double MinCoefficientOfVariation = 2;

    /// <summary>Enough idle times, most of them within the range, and gathered rather than spread out.</summary>
    public static bool IsRepresentative(IdleTimeHistogram history) =>
        history.Count >= MinSamples
        && history.OutOfRange * 2 <= history.Count
        && history.CoefficientOfVariation() >= MinCoefficientOfVariation;

    /// <param name="history">The version's idle times so far.</param>
    /// <param name="fixedKeepWarm">The node's fixed keep-warm window, the fallback.</param>
    /// <param name="prewarmAllowed">
    /// False where pre-warming is off (no pre-warm budget, or provisioned concurrency already keeps environments ready):
    /// a representative history then keeps the environment from the pool going idle up to the tail instead.
    /// </param>
    public static KeepWarmWindows Choose(IdleTimeHistogram history, TimeSpan fixedKeepWarm, bool prewarmAllowed)
    {
        if (!IsRepresentative(history))
        {
            return KeepWarmWindows.Fixed(fixedKeepWarm);
        }

        var head = history.PercentileBin(HeadPercentile)!.Value.From * (1 - Margin);
        var tail = history.PercentileBin(TailPercentile)!.Value.To * (1 + Margin);
        if (tail > history.Range)
        {
            tail = history.Range; // nothing is kept warm longer than the history can tell
        }

        // Without a pre-warm the history only ever lengthens the node's window: a version called every few seconds
        // keeps its environments as long as any other would, so a rare longer gap finds them warm.
        return prewarmAllowed && head > TimeSpan.Zero
            ? new KeepWarmWindows(head, tail - head, FromHistory: true)
            : new KeepWarmWindows(TimeSpan.Zero, tail > fixedKeepWarm ? tail : fixedKeepWarm, FromHistory: tail > fixedKeepWarm);
    }
}

namespace LambdaCluster.Grains.Concurrency;

/// <summary>
/// Lambda's per-function scaling rate as a token bucket: at most <c>rate</c> new environments at once,
/// refilled continuously at <c>rate</c> per window, never above <c>rate</c> (unused rate does not accumulate).
/// Not thread-safe: owned by one pool grain.
/// </summary>
public sealed class ScalingRateLimiter(int rate, TimeSpan window, TimeProvider time)
{
    private double _tokens = rate;
    private long _refilledAt = time.GetTimestamp();

    /// <summary>True when the last <see cref="TryTake"/> was refused.</summary>
    public bool LastRefused { get; private set; }

    public bool TryTake()
    {
        var now = time.GetTimestamp();
        _tokens = Math.Min(rate, _tokens + (time.GetElapsedTime(_refilledAt, now) / window * rate));
        _refilledAt = now;
        LastRefused = _tokens < 1;
        if (LastRefused)
        {
            return false;
        }

        _tokens -= 1;
        return true;
    }
}

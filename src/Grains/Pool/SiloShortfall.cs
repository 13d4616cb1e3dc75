namespace LambdaCluster.Grains.Pool;

/// <summary>
/// Which silos keep running their callers' invocations on other silos' environments, so that the pool starts one of
/// their own. A silo whose dispatcher has no idle environment of the version asks the pool, which gives one on another
/// silo when its own has none idle; that lease comes back to the pool after each call, ready to be given across again.
/// When the cold starts were placed unevenly this never wears off (measured: 4-6 % of a spread cluster's calls crossed
/// silos at steady state), and each such call costs a round trip between silos. After <see cref="Threshold"/> such
/// grants to one silo within <see cref="Window"/> (not necessarily in a row: a silo short of one environment still gets
/// its own for the rest), one start there is due; one at a time per silo. Not thread-safe: the pool grain's turns
/// order it.
/// </summary>
internal sealed class SiloShortfall(TimeProvider time)
{
    /// <summary>Grants on other silos' environments that make one start on the caller's silo due (a few are chance, not a shortfall).</summary>
    public const int Threshold = 8;

    /// <summary>How long a count of crossings lasts from its first: a few chance crossings spread over hours are no shortfall.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Dictionary<SiloAddress, (int Count, long Since)> _crossings = [];
    private readonly HashSet<SiloAddress> _starting = [];

    /// <summary>
    /// Counts a lease granted to a caller on <paramref name="caller"/> for an environment on another silo; true when a
    /// start on the caller's silo is now due (the count starts again, and none is due there until <see cref="Ended"/>).
    /// </summary>
    public bool Crossed(SiloAddress caller)
    {
        if (_starting.Contains(caller))
        {
            return false;
        }

        var (count, since) = _crossings.TryGetValue(caller, out var counted) && time.GetElapsedTime(counted.Since) <= Window
            ? (counted.Count + 1, counted.Since)
            : (1, time.GetTimestamp());
        if (count < Threshold)
        {
            _crossings[caller] = (count, since);
            return false;
        }

        _crossings.Remove(caller);
        _starting.Add(caller);
        return true;
    }

    /// <summary>The start <see cref="Crossed"/> made due on <paramref name="silo"/> ended (ready, failed or not made).</summary>
    public void Ended(SiloAddress silo) => _starting.Remove(silo);

    /// <summary>Forgets a silo that left the cluster.</summary>
    public void Forget(SiloAddress silo)
    {
        _crossings.Remove(silo);
        _starting.Remove(silo);
    }
}

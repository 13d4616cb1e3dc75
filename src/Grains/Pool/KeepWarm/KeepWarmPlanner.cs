namespace LambdaCluster.Grains.Pool.KeepWarm;

/// <summary>
/// One pool's keep-warm decisions: it learns the version's idle times (from the pool going idle, nothing leased, to the
/// next lease) into an <see cref="IdleTimeHistogram"/>, chooses the windows of each idle period with the
/// <see cref="HybridHistogramPolicy"/> (Shahrad et al., "Serverless in the Wild", USENIX ATC 2020), and says, given the
/// time and the idle environments, which to keep, which to let go and when to pre-warm. Pure (the caller passes the
/// time), so the pool grain and the <c>lambda-load keepwarm-replay</c> simulation run the same decisions.
/// </summary>
/// <remarks>
/// The pool sees acquires and releases, not every call (silos' dispatchers run warm calls on leases they hold), so an
/// idle time here is the pool's: a burst of calls is one busy period. Not thread-safe: one pool owns it.
/// </remarks>
internal sealed class KeepWarmPlanner
{
    private readonly TimeSpan _fixedKeepWarm;
    private readonly bool _predictive;
    private bool _prewarmStarted;

    /// <param name="fixedKeepWarm">The node's fixed keep-warm window (<c>Environments:KeepWarm</c>), the fallback.</param>
    /// <param name="predictive">False: always the fixed window (<c>Environments:PredictiveKeepWarm</c>); idle times are still learnt.</param>
    /// <param name="historyRange">The histogram's range, a whole number of minutes (<c>Environments:IdleHistoryRange</c>).</param>
    public KeepWarmPlanner(TimeSpan fixedKeepWarm, bool predictive, TimeSpan historyRange)
    {
        _fixedKeepWarm = fixedKeepWarm;
        _predictive = predictive;
        History = new IdleTimeHistogram(historyRange);
        Windows = KeepWarmWindows.Fixed(fixedKeepWarm);
    }

    public IdleTimeHistogram History { get; }

    /// <summary>When the pool last went idle (nothing leased), or null while something is leased.</summary>
    public DateTimeOffset? IdleSince { get; private set; }

    /// <summary>The windows of the current idle period; the fixed ones while the pool is busy.</summary>
    public KeepWarmWindows Windows { get; private set; }

    /// <summary>When this idle period's pre-warm is due, or null when it has none.</summary>
    public DateTimeOffset? PrewarmAt => IdleSince is { } since && Windows.Prewarm > TimeSpan.Zero ? since + Windows.Prewarm : null;

    /// <summary>An environment was leased: an idle period (if one was running) ended now and is learnt.</summary>
    public void Acquired(DateTimeOffset now)
    {
        if (IdleSince is { } since)
        {
            History.Record(now - since);
        }

        IdleSince = null;
        Windows = KeepWarmWindows.Fixed(_fixedKeepWarm);
    }

    /// <summary>The pool's last lease came back: an idle period starts, with windows chosen from the history so far.</summary>
    /// <param name="prewarmAllowed">See <see cref="HybridHistogramPolicy.Choose"/>.</param>
    public void WentIdle(DateTimeOffset now, bool prewarmAllowed)
    {
        if (IdleSince is not null)
        {
            return; // already idle: the period started at the first
        }

        IdleSince = now;
        Windows = _predictive ? HybridHistogramPolicy.Choose(History, _fixedKeepWarm, prewarmAllowed) : KeepWarmWindows.Fixed(_fixedKeepWarm);
        _prewarmStarted = false;
    }

    /// <summary>The pre-warm <see cref="Decide"/> asked for was started: one per idle period.</summary>
    public void PrewarmStarted() => _prewarmStarted = true;

    /// <summary>
    /// True while the pool is idle and the idle time running is still within the histogram's range: the pool stays
    /// active for it, or the next call would find a fresh pool with no idle time to learn (and no pre-warm would start).
    /// </summary>
    public bool Watching(DateTimeOffset now) => _predictive && IdleSince is { } since && now - since < History.Range;

    /// <summary>When <paramref name="environment"/> is let go unless it is leased first.</summary>
    public DateTimeOffset KeptUntil(WarmEnvironment environment) =>
        !environment.Prewarmed && IdleSince is { } poolIdle && Windows.Prewarm > TimeSpan.Zero
            ? poolIdle // the pre-warm replaces it: idle environments go as the pool goes idle
            : environment.IdleSince + Windows.KeepAlive; // from its pre-warm, or from its last invocation

    /// <summary>
    /// Given the time and the idle environments (ready, not leased, not provisioned): those whose window has passed go;
    /// the pre-warm starts once its window has passed (not after its keep-alive window would have ended, and never
    /// beside an environment still kept warm); <see cref="KeepWarmDecision.NextCheck"/> is the next of these moments.
    /// </summary>
    public KeepWarmDecision Decide(DateTimeOffset now, IReadOnlyList<WarmEnvironment> idle)
    {
        var letGo = new List<string>();
        DateTimeOffset? next = null;
        foreach (var environment in idle)
        {
            var until = KeptUntil(environment);
            if (until <= now)
            {
                letGo.Add(environment.Key);
            }
            else
            {
                next = Earliest(next, until);
            }
        }

        var prewarm = false;
        if (PrewarmAt is { } at && !_prewarmStarted && now < at + Windows.KeepAlive)
        {
            if (now >= at)
            {
                prewarm = letGo.Count == idle.Count;
            }
            else
            {
                next = Earliest(next, at);
            }
        }

        return new KeepWarmDecision(letGo, prewarm, next);
    }

    private static DateTimeOffset Earliest(DateTimeOffset? current, DateTimeOffset candidate) =>
        current is { } c && c <= candidate ? c : candidate;
}

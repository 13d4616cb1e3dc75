using LambdaCluster.Grains.Pool.KeepWarm;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace LambdaCluster.Tests.Unit.Grains.KeepWarm;

/// <summary>
/// The hybrid histogram policy ("Serverless in the Wild", ATC 2020) as the pool runs it: windows from the idle-time
/// history when it is representative, the fixed keep-warm when not, and the planner's keep, let-go and pre-warm decisions.
/// </summary>
[Trait("Category", "Unit")]
public sealed class KeepWarmPlannerTests
{
    private static readonly TimeSpan FixedKeepWarm = TimeSpan.FromMinutes(10);

    /// <summary>What the pool sees of a function called every 12 minutes: released a second after each call (run and lease hold).</summary>
    private static readonly TimeSpan TwelveMinuteIdle = TimeSpan.FromMinutes(12) - TimeSpan.FromSeconds(1);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));

    private DateTimeOffset Now => _time.GetUtcNow();

    [Fact]
    public void Choose_FromTooFewIdleTimes_IsTheFixedKeepWarm()
    {
        var windows = HybridHistogramPolicy.Choose(History(TwelveMinuteIdle, TwelveMinuteIdle), FixedKeepWarm, prewarmAllowed: true);

        Assert.Equal(KeepWarmWindows.Fixed(FixedKeepWarm), windows);
    }

    [Fact]
    public void Choose_FromIdleTimesSpreadEvenly_IsTheFixedKeepWarm()
    {
        var history = History([.. Enumerable.Range(0, 240).Select(minute => TimeSpan.FromMinutes(minute + 0.5))]);

        Assert.False(HybridHistogramPolicy.IsRepresentative(history)); // CV 0: nothing to predict from
        Assert.Equal(KeepWarmWindows.Fixed(FixedKeepWarm), HybridHistogramPolicy.Choose(history, FixedKeepWarm, prewarmAllowed: true));
    }

    [Fact]
    public void Choose_FromIdleTimesMostlyOutOfRange_IsTheFixedKeepWarm()
    {
        var fiveHours = TimeSpan.FromHours(5);

        Assert.Equal(KeepWarmWindows.Fixed(FixedKeepWarm), HybridHistogramPolicy.Choose(History(fiveHours, fiveHours, fiveHours, TwelveMinuteIdle), FixedKeepWarm, prewarmAllowed: true));
    }

    [Fact]
    public void Choose_FromRegularIdleTimes_PrewarmsAtTheHeadLessTenPercent_AndKeepsToTheTailPlusTenPercent()
    {
        var windows = HybridHistogramPolicy.Choose(History(TwelveMinuteIdle, TwelveMinuteIdle, TwelveMinuteIdle), FixedKeepWarm, prewarmAllowed: true);

        Assert.True(windows.FromHistory);
        Assert.Equal(11 * 60 * 0.9, windows.Prewarm.TotalSeconds, precision: 6); // the 11-12 min bin's lower edge, less 10%
        Assert.Equal(12 * 60 * 1.1 - 11 * 60 * 0.9, windows.KeepAlive.TotalSeconds, precision: 6); // up to its upper edge plus 10%
    }

    [Fact]
    public void Choose_WithTheHeadInTheFirstMinute_KeepsWithoutPrewarm_NeverShorterThanTheFixedWindow()
    {
        var idle = Enumerable.Repeat(TimeSpan.FromSeconds(20), 10).Append(TimeSpan.FromMinutes(5.5)).ToArray();

        var windows = HybridHistogramPolicy.Choose(History(idle), FixedKeepWarm, prewarmAllowed: true);

        Assert.Equal(TimeSpan.Zero, windows.Prewarm);
        Assert.Equal(FixedKeepWarm, windows.KeepAlive); // the tail (6.6 min) is within the fixed 10 min: a frequent caller keeps the node's window
        Assert.False(windows.FromHistory);

        var longer = HybridHistogramPolicy.Choose(History([.. Enumerable.Repeat(TimeSpan.FromSeconds(20), 10), TimeSpan.FromMinutes(14.5)]), FixedKeepWarm, prewarmAllowed: true);
        Assert.Equal(15 * 60 * 1.1, longer.KeepAlive.TotalSeconds, precision: 6); // a longer tail lengthens it
        Assert.True(longer.FromHistory);
    }

    [Fact]
    public void Choose_WithoutPrewarming_KeepsFromTheIdleStartUpToTheTail()
    {
        var windows = HybridHistogramPolicy.Choose(History(TwelveMinuteIdle, TwelveMinuteIdle, TwelveMinuteIdle), FixedKeepWarm, prewarmAllowed: false);

        Assert.Equal(TimeSpan.Zero, windows.Prewarm);
        Assert.Equal(12 * 60 * 1.1, windows.KeepAlive.TotalSeconds, precision: 6);
    }

    [Fact]
    public void Choose_WithTheTailOutOfRange_KeepsNoLongerThanTheRange()
    {
        var idle = Enumerable.Repeat(TwelveMinuteIdle, 10).Append(TimeSpan.FromHours(5)).ToArray();

        var windows = HybridHistogramPolicy.Choose(History(idle), FixedKeepWarm, prewarmAllowed: true);

        Assert.Equal(IdleTimeHistogram.DefaultRange, windows.Prewarm + windows.KeepAlive);
    }

    [Fact]
    public void AFunctionCalledEveryTwelveMinutes_IsLearntInThreeIdleTimes_ThenLetGoAndPrewarmedBeforeEachCall()
    {
        var planner = new KeepWarmPlanner(FixedKeepWarm, predictive: true, IdleTimeHistogram.DefaultRange);
        for (var call = 0; call < 3; call++)
        {
            CallAndRelease(planner);
            Assert.Equal(KeepWarmWindows.Fixed(FixedKeepWarm), planner.Windows); // still learning: 10 minutes, and the next call is cold
            Assert.Equal(Now + FixedKeepWarm, planner.Decide(Now, [new WarmEnvironment("env-1", Now, Prewarmed: false)]).NextCheck);
            _time.Advance(TwelveMinuteIdle);
        }

        CallAndRelease(planner); // the third idle time is learnt as this call leases
        var idleStart = Now;

        var atIdle = planner.Decide(Now, [new WarmEnvironment("env-1", Now, Prewarmed: false)]);
        Assert.Equal(["env-1"], atIdle.LetGo);
        Assert.False(atIdle.Prewarm);
        Assert.Equal(idleStart + planner.Windows.Prewarm, atIdle.NextCheck);

        _time.Advance(planner.Windows.Prewarm);
        Assert.True(planner.Decide(Now, []).Prewarm);
        planner.PrewarmStarted();
        Assert.False(planner.Decide(Now, []).Prewarm); // one pre-warm per idle period

        var prewarmed = new WarmEnvironment("env-2", Now, Prewarmed: true);
        Assert.Equal(Now + planner.Windows.KeepAlive, planner.Decide(Now, [prewarmed]).NextCheck);

        _time.SetUtcNow(idleStart + TwelveMinuteIdle); // the next call finds it warm
        Assert.Empty(planner.Decide(Now, [prewarmed]).LetGo);
        planner.Acquired(Now);
        Assert.Equal(4, planner.History.Count);
        Assert.Null(planner.IdleSince);
    }

    [Fact]
    public void AFunctionCalledOnce_GetsOnlyTheFixedWindow_AndIsWatchedForTheHistoryRange()
    {
        var planner = new KeepWarmPlanner(FixedKeepWarm, predictive: true, IdleTimeHistogram.DefaultRange);
        CallAndRelease(planner);
        var environment = new WarmEnvironment("env-1", Now, Prewarmed: false);

        var kept = planner.Decide(Now, [environment]);
        Assert.Empty(kept.LetGo);
        Assert.False(kept.Prewarm);
        Assert.Equal(Now + FixedKeepWarm, kept.NextCheck);

        _time.Advance(FixedKeepWarm);
        var letGo = planner.Decide(Now, [environment]);
        Assert.Equal(["env-1"], letGo.LetGo);
        Assert.False(letGo.Prewarm);
        Assert.Null(letGo.NextCheck);
        Assert.Equal(0, planner.History.Count);
        Assert.True(planner.Watching(Now)); // the idle time running is still one the history could learn

        _time.Advance(IdleTimeHistogram.DefaultRange - FixedKeepWarm);
        Assert.False(planner.Watching(Now));
    }

    [Fact]
    public void WithPredictionOff_EveryIdlePeriodKeepsTheFixedWindow()
    {
        var planner = new KeepWarmPlanner(FixedKeepWarm, predictive: false, IdleTimeHistogram.DefaultRange);
        for (var call = 0; call < 6; call++)
        {
            CallAndRelease(planner);
            Assert.Equal(KeepWarmWindows.Fixed(FixedKeepWarm), planner.Windows);
            Assert.False(planner.Watching(Now));
            _time.Advance(TwelveMinuteIdle);
        }

        Assert.Equal(5, planner.History.Count);
    }

    [Fact]
    public void WhileThePoolIsBusy_IdleEnvironmentsKeepTheFixedWindow()
    {
        var planner = Learnt();
        planner.Acquired(Now); // a burst: the pool is busy while one of its environments is idle
        var idle = new WarmEnvironment("env-2", Now, Prewarmed: false);

        Assert.Equal(Now + FixedKeepWarm, planner.KeptUntil(idle));
        Assert.False(planner.Decide(Now, [idle]).Prewarm);
    }

    [Fact]
    public void APrewarm_NeverStartsBesideAWarmEnvironment_NorOnceItsKeepAliveWindowWouldHaveEnded()
    {
        var planner = Learnt();
        _time.Advance(planner.Windows.Prewarm);
        var stillWarm = new WarmEnvironment("env-2", Now, Prewarmed: true);
        Assert.False(planner.Decide(Now, [stillWarm]).Prewarm);

        _time.Advance(planner.Windows.KeepAlive);
        var late = planner.Decide(Now, []);
        Assert.False(late.Prewarm);
        Assert.Null(late.NextCheck);
    }

    /// <summary>A planner that has learnt three 12-minute idle times and whose pool just went idle again.</summary>
    private KeepWarmPlanner Learnt()
    {
        var planner = new KeepWarmPlanner(FixedKeepWarm, predictive: true, IdleTimeHistogram.DefaultRange);
        for (var call = 0; call < 4; call++)
        {
            if (call > 0)
            {
                _time.Advance(TwelveMinuteIdle);
            }

            CallAndRelease(planner);
        }

        Assert.True(planner.Windows.FromHistory);
        return planner;
    }

    /// <summary>A call leases (ending the idle period running, if any); a second later its lease comes back.</summary>
    private void CallAndRelease(KeepWarmPlanner planner)
    {
        planner.Acquired(Now);
        _time.Advance(TimeSpan.FromSeconds(1));
        planner.WentIdle(Now, prewarmAllowed: true);
    }

    private static IdleTimeHistogram History(params TimeSpan[] idleTimes)
    {
        var history = new IdleTimeHistogram();
        foreach (var idle in idleTimes)
        {
            history.Record(idle);
        }

        return history;
    }
}

using System.Globalization;
using LambdaCluster.Grains.Pool.KeepWarm;

namespace LambdaCluster.LoadTest.KeepWarm;

/// <summary>
/// Replays a trace through the pool's own <see cref="KeepWarmPlanner"/> (its source files are compiled into this tool)
/// in simulated time, as the pool grain drives it: a lease ends an idle period, the last release starts one, and the
/// planner's decisions run when it says the next is due. One call at a time, so one environment at most; INIT takes no
/// simulated time.
/// </summary>
internal static class KeepWarmReplay
{
    /// <summary>How long a call holds its environment: the run and the dispatcher's lease hold (<c>Environments:LeaseHold</c>, 1 s).</summary>
    public static readonly TimeSpan Busy = TimeSpan.FromSeconds(1);

    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static ReplayResult Run(ReplayTrace trace, TimeSpan keepWarm, bool predictive)
    {
        // Flow: for each call → run the planner's decisions due before it (let go, pre-warm) → the call takes the idle
        // environment (warm; a pre-warm hit if it was pre-warmed) or starts one (cold) → its lease ends the idle period →
        // the release after Busy starts the next, with windows from the history so far → after the last call, the
        // decisions run until nothing is left warm.
        var planner = new KeepWarmPlanner(keepWarm, predictive, IdleTimeHistogram.DefaultRange);
        WarmEnvironment? idle = null;
        DateTimeOffset? next = null;
        var calls = new List<ReplayCall>();
        var prewarms = 0;
        var warm = 0.0;
        var wasted = 0.0;

        void DecideAt(DateTimeOffset now)
        {
            var decision = planner.Decide(now, idle is { } environment ? [environment] : []);
            if (decision.LetGo.Count > 0)
            {
                var seconds = (now - idle!.Value.IdleSince).TotalSeconds;
                warm += seconds;
                wasted += seconds;
                idle = null;
            }

            if (decision.Prewarm)
            {
                planner.PrewarmStarted();
                prewarms++;
                idle = new WarmEnvironment("prewarmed", now, Prewarmed: true);
                decision = planner.Decide(now, [idle.Value]); // as the pool does once the pre-warm is ready: its keep-alive starts
            }

            next = decision.NextCheck;
        }

        foreach (var offset in trace.Calls)
        {
            var at = Start + offset;
            while (next is { } due && due <= at)
            {
                DecideAt(due);
            }

            var cold = idle is null;
            var hit = idle is { Prewarmed: true };
            if (idle is { } environment)
            {
                warm += (at - environment.IdleSince).TotalSeconds;
            }

            planner.Acquired(at);
            var released = at + Busy;
            idle = new WarmEnvironment("environment", released, Prewarmed: false);
            planner.WentIdle(released, prewarmAllowed: true);
            DecideAt(released);
            calls.Add(new ReplayCall(offset, cold, hit, Describe(planner.Windows)));
        }

        while (next is { } due)
        {
            DecideAt(due);
        }

        return new ReplayResult(calls, prewarms, warm, wasted);
    }

    private static string Describe(KeepWarmWindows windows) => windows switch
    {
        { FromHistory: false } => $"fixed keep-warm {Minutes(windows.KeepAlive)}",
        { Prewarm.Ticks: 0 } => $"kept {Minutes(windows.KeepAlive)} (history)",
        _ => $"let go; pre-warm after {Minutes(windows.Prewarm)}, keep {Minutes(windows.KeepAlive)} (history)",
    };

    private static string Minutes(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.##} min");
}

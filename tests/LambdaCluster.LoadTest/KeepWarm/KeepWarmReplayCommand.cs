using System.Globalization;
using LambdaCluster.Grains.Pool.KeepWarm;

namespace LambdaCluster.LoadTest.KeepWarm;

/// <summary>
/// <c>lambda-load keepwarm-replay</c>: synthetic traces through the pool's keep-warm planner in simulated time, with
/// the predictive keep-warm (pre-warming from history) and without it (the fixed keep-warm), side by side. Needs no node.
/// </summary>
internal static class KeepWarmReplayCommand
{
    public const string Usage = """
        lambda-load keepwarm-replay [--keep-warm 00:10:00]: replays synthetic traces through the pool's keep-warm planner
        in simulated time and prints cold starts and warm seconds with and without the predictive keep-warm.
        """;

    public static int Run(string[] args, TextWriter output)
    {
        var keepWarm = TimeSpan.FromMinutes(10);
        if (args is ["--keep-warm", var value] && TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var parsed) && parsed > TimeSpan.Zero)
        {
            keepWarm = parsed;
        }
        else if (args.Length > 0)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        var traces = new[]
        {
            ReplayTrace.Periodic("(a) every 12 min for 1 h", TimeSpan.FromMinutes(12), TimeSpan.FromHours(1)),
            new ReplayTrace("(b) called once", [TimeSpan.Zero]),
            ReplayTrace.Periodic("(c) every 12 min for 4 h", TimeSpan.FromMinutes(12), TimeSpan.FromHours(4)),
        };

        var text = CultureInfo.InvariantCulture;
        var fixedName = $"fixed {keepWarm.TotalMinutes.ToString("0.##", text)} min";
        output.WriteLine($"lambda-load keepwarm-replay: the pool's KeepWarmPlanner in simulated time; baseline: {fixedName} keep-warm (PredictiveKeepWarm=false).");
        output.WriteLine($"Each call holds its environment {KeepWarmReplay.Busy.TotalSeconds.ToString(text)} s (run and lease hold); INIT takes no simulated time; warm s = idle environment-seconds kept warm.");
        output.WriteLine();
        output.WriteLine($"{"trace",-26} {"policy",-12} {"calls",5} {"cold",5} {"pre-warms",9} {"hits",5} {"warm s",8} {"wasted s",9}");
        foreach (var trace in traces)
        {
            foreach (var predictive in new[] { false, true })
            {
                var result = KeepWarmReplay.Run(trace, keepWarm, predictive);
                output.WriteLine(string.Create(text,
                    $"{trace.Name,-26} {(predictive ? "predictive" : fixedName),-12} {result.Calls.Count,5} {result.ColdStarts,5} {result.Prewarms,9} {result.PrewarmHits,5} {result.WarmSeconds,8:0} {result.WastedWarmSeconds,9:0}"));
            }
        }

        output.WriteLine();
        output.WriteLine($"{traces[0].Name}, predictive, call by call (the history needs {HybridHistogramPolicy.MinSamples} idle times):");
        foreach (var call in KeepWarmReplay.Run(traces[0], keepWarm, predictive: true).Calls)
        {
            var how = call.Cold ? "cold" : call.PrewarmHit ? "warm (pre-warmed)" : "warm";
            output.WriteLine($"  {call.At:h\\:mm}  {how,-18} then: {call.After}");
        }

        return 0;
    }
}

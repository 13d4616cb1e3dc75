using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LambdaCluster.LoadTest.Bench;

/// <summary>
/// <c>lambda-load bench</c>. Flow: for each concurrency → the function through the gateway (warmed at that concurrency
/// until a warm-up round starts no environment, settled under the measured load until its throughput stops rising, then
/// measured with the nodes' CPU and cold starts counted) → the floor, the same way, right after → one table, the ratios
/// that matter, and optionally a comparison with an earlier setup.
/// </summary>
public sealed class BenchCommand(BenchOptions options, HttpClient http, TextWriter output)
{
    private const int WarmupRounds = 6;

    public async Task<int> RunAsync()
    {
        var useWrk = options.UseWrk && WrkRunner.Available;
        output.WriteLine($"lambda-load bench: {options.Function} via {string.Join(", ", options.Endpoints)}{(options.Floor is null ? "" : $" against the floor {options.Floor}")}, " +
            $"{options.Duration.TotalSeconds:0.#} s per run after warm-up, load from {(useWrk ? "wrk" : "this tool (wrk not found)")}");
        var rows = new List<BenchRow>();
        foreach (var concurrency in options.Concurrencies)
        {
            rows.Add(await MeasureAsync(options.Label, concurrency, useWrk, floor: false));
            if (options.Floor is not null)
            {
                rows.Add(await MeasureAsync("floor", concurrency, useWrk, floor: true));
            }
        }

        output.WriteLine();
        output.WriteLine("target           c      req/s    p50 ms    p99 ms  errors  cold  silo CPU ms/inv  function CPU ms/inv");
        foreach (var row in rows)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{row.Target,-14} {row.Concurrency,3} {row.Throughput,10:0.0} {row.P50Ms,9:0.000} {row.P99Ms,9:0.000} {row.Errors,7} {Text(row.ColdStarts),5} {Text(row.SiloCpuMsPerInvocation),16} {Text(row.FunctionCpuMsPerInvocation),20}"));
        }

        output.WriteLine();
        PrintRatios(rows.Where(r => r.Target == options.Label).ToList(), rows.Where(r => r.Target == "floor").ToList(), "the floor");
        if (options.Compare is not null)
        {
            var earlier = JsonSerializer.Deserialize<List<BenchRow>>(await File.ReadAllTextAsync(options.Compare)) ?? [];
            PrintRatios(rows.Where(r => r.Target == options.Label).ToList(), earlier.Where(r => r.Target != "floor").ToList(), $"'{earlier.FirstOrDefault(r => r.Target != "floor")?.Target}'");
        }

        if (options.JsonOut is not null)
        {
            await File.WriteAllTextAsync(options.JsonOut, JsonSerializer.Serialize(rows));
        }

        return rows.Any(r => r.Errors > 0) ? 1 : 0;
    }

    private void PrintRatios(List<BenchRow> rows, List<BenchRow> baseline, string against)
    {
        foreach (var row in rows)
        {
            // The same concurrency, or the nearest within a tenth (spread over several nodes, wrk rounds the connections down).
            if (baseline.MinBy(b => Math.Abs(b.Concurrency - row.Concurrency)) is not { } other || Math.Abs(other.Concurrency - row.Concurrency) > other.Concurrency / 10)
            {
                continue;
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"c={row.Concurrency}: throughput {row.Throughput / other.Throughput:0.00}x, p50 {row.P50Ms / other.P50Ms:0.00}x, p99 {row.P99Ms / other.P99Ms:0.00}x {against}"));
        }
    }

    private async Task<BenchRow> MeasureAsync(string target, int concurrency, bool useWrk, bool floor)
    {
        var counter = new ColdStartCounter(http, floor ? [] : options.Metrics, options.Function);
        for (var round = 1; round <= WarmupRounds; round++)
        {
            // Warm-up always with this tool's own runner: it ends a round only when every request in flight has its answer
            // (wrk leaves them behind, and the next round's requests would need environments of their own meanwhile).
            var coldBefore = await counter.ReadAsync();
            await LoadAsync(concurrency, options.Warmup, useWrk: false, floor);
            if (floor || await counter.ReadAsync() == coldBefore)
            {
                break; // a round that started no environment: warm at this concurrency
            }
        }

        await SettleAsync(target, concurrency, useWrk, floor);
        var cold = await counter.ReadAsync();
        var cpu = ProcessCpu.Read(options.SiloPids);
        var run = await LoadAsync(concurrency, options.Duration, useWrk, floor);
        var cpuAfter = ProcessCpu.Read(options.SiloPids);
        var coldAfter = await counter.ReadAsync();
        var counted = !floor && options.SiloPids.Count > 0 && run.Requests > 0;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {target} c={run.Connections}: {run.Requests / run.Seconds:0} req/s"));
        return new BenchRow(target, run.Connections, run.Requests, run.Requests / run.Seconds, run.P50Ms, run.P99Ms, run.Failed,
            floor ? null : coldAfter - cold,
            counted ? (cpuAfter.Nodes - cpu.Nodes) / run.Requests : null,
            counted ? (cpuAfter.Descendants - cpu.Descendants) / run.Requests : null);
    }

    /// <summary>
    /// The measured load itself, in rounds of <see cref="BenchOptions.Settle"/>, until two rounds in a row no longer beat
    /// the best before them by <see cref="BenchOptions.SettleGain"/> (one slow round is this machine's noise as often as
    /// not): warm means steady. A cluster's processes each see a share of the calls, so their JIT tiers up (and V8
    /// optimises each function process) later than one node's; a fixed warm-up measured them part-way.
    /// </summary>
    private async Task SettleAsync(string target, int concurrency, bool useWrk, bool floor)
    {
        var (best, flat) = (0.0, 0);
        for (var round = 1; options.Settle > TimeSpan.Zero && round <= options.SettleRounds && flat < 2; round++)
        {
            var run = await LoadAsync(concurrency, options.Settle, useWrk, floor);
            var throughput = run.Requests / run.Seconds;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {target} c={run.Connections}: settling, round {round}: {throughput:0} req/s"));
            flat = throughput < best * (1 + BenchOptions.SettleGain) ? flat + 1 : 0;
            best = Math.Max(best, throughput);
        }

        if (useWrk && options.Settle > TimeSpan.Zero)
        {
            // wrk stops with requests still in flight: let them end before the cold-start count and the measured run.
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }

    private async Task<(long Requests, double Seconds, double P50Ms, double P99Ms, long Failed, int Connections)> LoadAsync(int concurrency, TimeSpan duration, bool useWrk, bool floor)
    {
        var payload = Encoding.UTF8.GetBytes(options.Payload);
        var load = new LoadOptions
        {
            Endpoints = floor ? [options.Floor!] : options.Endpoints,
            Function = options.Function,
            Concurrency = concurrency,
            Duration = duration,
            Payload = options.Payload,
            Region = options.Region,
            AccessKey = options.AccessKey,
            SecretKey = options.SecretKey,
            RawPath = floor ? "/" : null,
        };
        var signer = new RequestSigner(load, payload);
        if (useWrk)
        {
            using var request = signer.Invoke(load.Endpoints[0], load.RawPath ?? $"/2015-03-31/functions/{Uri.EscapeDataString(options.Function)}/invocations", TimeProvider.System);
            return await WrkRunner.RunAsync(request, payload, concurrency, duration, load.Endpoints);
        }

        var result = await new LoadRunner(load, http, signer, TextWriter.Null).RunAsync(new ColdStartCounter(http, [], options.Function));
        return (result.Requests, result.Elapsed.TotalSeconds, result.Percentile(50), result.Percentile(99), result.Requests - result.Outcomes.GetValueOrDefault(LoadResult.Ok), concurrency);
    }

    private static string Text(double? value) => value is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "-";

    private static string Text(long? value) => value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "-";
}

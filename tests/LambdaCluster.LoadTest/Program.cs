using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using LambdaCluster.LoadTest;
using LambdaCluster.LoadTest.Bench;
using LambdaCluster.LoadTest.KeepWarm;

// Flow: parse options → one pooled HTTP client sized to the concurrency → run (warm-up, measured phase
// with progress) → report throughput, latency percentiles, outcomes by type, throttles and cold starts.
// `lambda-load bench ...` is the side-by-side benchmark against the floor (Bench/BenchCommand);
// `lambda-load keepwarm-replay` replays synthetic traces through the pool's keep-warm planner (KeepWarm/), no node needed.
if (args.Length > 0 && args[0] == "keepwarm-replay")
{
    return KeepWarmReplayCommand.Run(args[1..], Console.Out);
}

if (args.Length > 0 && args[0] == "bench")
{
    BenchOptions bench;
    try
    {
        bench = BenchOptions.Parse(args[1..]);
    }
    catch (Exception e) when (e is ArgumentException or UriFormatException)
    {
        Console.Error.WriteLine($"lambda-load bench: {e.Message}\n\n{BenchOptions.Usage}");
        return 2;
    }

    using var benchHttp = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = bench.Concurrencies.Max(), UseProxy = false }) { Timeout = TimeSpan.FromMinutes(16) };
    return await new BenchCommand(bench, benchHttp, Console.Out).RunAsync();
}

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or UriFormatException)
{
    Console.Error.WriteLine($"lambda-load: {e.Message}\n\n{LoadOptions.Usage}");
    return 2;
}

using var http = new HttpClient(new SocketsHttpHandler
{
    MaxConnectionsPerServer = options.Concurrency,
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    AutomaticDecompression = DecompressionMethods.None,
    UseProxy = false,
}) { Timeout = TimeSpan.FromMinutes(16) };

var payload = Encoding.UTF8.GetBytes(options.Payload);
var runner = new LoadRunner(options, http, new RequestSigner(options, payload), Console.Out);
var metrics = options.MetricsEndpoints.Count > 0 ? options.MetricsEndpoints : options.Endpoints;
var coldStarts = new ColdStartCounter(http, options.RawPath is null ? metrics : [], options.Function);
var target = options.RawPath ?? options.Function + (options.Qualifier is null ? "" : $":{options.Qualifier}");
Console.WriteLine($"lambda-load: {target} via {string.Join(", ", options.Endpoints)}, concurrency {options.Concurrency}, " +
    (options.Requests is { } n ? $"{n} requests" : $"{options.Duration!.Value.TotalSeconds:0.#} s") + (options.Warmup > TimeSpan.Zero ? $" after {options.Warmup.TotalSeconds:0.#} s warm-up" : ""));

var result = await runner.RunAsync(coldStarts);

var text = CultureInfo.InvariantCulture;
Console.WriteLine();
Console.WriteLine(string.Create(text, $"requests     {result.Requests} in {result.Elapsed.TotalSeconds:0.00} s"));
Console.WriteLine(string.Create(text, $"throughput   {result.Throughput:0.0} req/s"));
Console.WriteLine(string.Create(text, $"latency ms   p50 {result.Percentile(50):0.00}  p90 {result.Percentile(90):0.00}  p99 {result.Percentile(99):0.00}  p99.9 {result.Percentile(99.9):0.00}  max {result.Percentile(100):0.00}"));
Console.WriteLine($"outcomes     {string.Join("  ", result.Outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key}: {o.Value}"))}");
Console.WriteLine($"errors       {result.Errors}   throttles {result.Throttles}   cold starts {(options.RawPath is null ? result.ColdStarts.ToString(text) : "n/a")}");
if (options.Json)
{
    Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["target"] = target,
        ["concurrency"] = options.Concurrency,
        ["requests"] = result.Requests,
        ["seconds"] = Math.Round(result.Elapsed.TotalSeconds, 3),
        ["throughput"] = Math.Round(result.Throughput, 1),
        ["p50_ms"] = Math.Round(result.Percentile(50), 3),
        ["p99_ms"] = Math.Round(result.Percentile(99), 3),
        ["max_ms"] = Math.Round(result.Percentile(100), 3),
        ["errors"] = result.Errors,
        ["throttles"] = result.Throttles,
        ["cold_starts"] = result.ColdStarts,
        ["outcomes"] = result.Outcomes,
    }));
}

return result.Errors == 0 ? 0 : 1;

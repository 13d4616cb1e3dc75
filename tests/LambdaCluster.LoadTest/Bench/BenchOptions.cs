using System.Globalization;

namespace LambdaCluster.LoadTest.Bench;

/// <summary>What <c>lambda-load bench</c> measures; parsed from <c>--name value</c> pairs.</summary>
public sealed record BenchOptions
{
    /// <summary>The gateway; with several (<see cref="Endpoints"/>), requests are spread over them.</summary>
    public required Uri Endpoint { get; init; }
    public IReadOnlyList<Uri> Endpoints { get; init; } = [];
    public string Function { get; init; } = "echo";
    public Uri? Floor { get; init; }
    /// <summary>Node processes whose CPU is counted per invocation (their children, the function processes, separately).</summary>
    public IReadOnlyList<int> SiloPids { get; init; } = [];
    /// <summary>Nodes whose /metrics count cold starts (default: the endpoint).</summary>
    public IReadOnlyList<Uri> Metrics { get; init; } = [];
    public IReadOnlyList<int> Concurrencies { get; init; } = [1, 16, 64];
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);
    /// <summary>
    /// Length of each settling round: after the warm-up, the measured load itself runs in rounds of this length until two
    /// rounds in a row no longer beat the best before them by <see cref="SettleGain"/> (JIT tiering in every .NET process
    /// and V8's in every function process are done); zero skips settling.
    /// </summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>At most this many settling rounds per measured run.</summary>
    public int SettleRounds { get; init; } = 12;
    /// <summary>Two settling rounds in a row that gain less than this fraction over the best round before them end the settling.</summary>
    public const double SettleGain = 0.03;
    public string Payload { get; init; } = """{"hello":"world"}""";
    public string Label { get; init; } = "lambda";
    /// <summary>Use wrk when it is on PATH (it costs the shared cores far less than this tool), else the built-in runner.</summary>
    public bool UseWrk { get; init; } = true;
    /// <summary>Write the rows here as JSON, for a later run to compare with.</summary>
    public string? JsonOut { get; init; }
    /// <summary>Rows of an earlier run (another setup on the same machine) to print ratios against.</summary>
    public string? Compare { get; init; }
    public string Region { get; init; } = "us-east-1";
    public string AccessKey { get; init; } = "test";
    public string SecretKey { get; init; } = "test";

    public const string Usage = """
        lambda-load bench: warm latency and throughput of one function through the gateway, side by side with a floor.

          --endpoint URL[,URL]  gateway (required); several (nodes of a cluster) share the connections, each its turn
          --function NAME       function to invoke (default echo)
          --floor URL           a bare HTTP server answering the same handler (echo-floor.mjs), measured in the same run
          --silo-pid PID[,PID]  node processes whose CPU is counted per invocation (their child processes too, apart)
          --metrics URL[,URL]   nodes whose /metrics count cold starts (default: the endpoint)
          --concurrency 1,16,64 concurrencies to measure (default 1,16,64)
          --duration 10s        measured time per run (default 10s)
          --warmup 3s           warm-up at the measured concurrency, repeated until it starts no environment (default 3s)
          --settle 5s           then the measured load in rounds of this length until two in a row gain under 3 %
                                (at most --settle-rounds, default 12; 0 skips it; default 5s)
          --payload JSON        event (default {"hello":"world"})
          --label NAME          name of this setup in the report (default lambda)
          --builtin             use this tool's own load generator even when wrk is installed
          --json-out FILE       write the rows as JSON;   --compare FILE  print ratios against rows written earlier
        """;

    public static BenchOptions Parse(string[] args)
    {
        List<Uri>? endpoints = null;
        var options = new BenchOptions { Endpoint = new Uri("http://127.0.0.1:9000") };
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--endpoint": endpoints = [.. Value().Split(',').Select(u => new Uri(u))]; break;
                case "--function": options = options with { Function = Value() }; break;
                case "--floor": options = options with { Floor = new Uri(Value()) }; break;
                case "--silo-pid": options = options with { SiloPids = [.. Value().Split(',').Select(p => Positive(p, "--silo-pid"))] }; break;
                case "--metrics": options = options with { Metrics = [.. Value().Split(',').Select(u => new Uri(u))] }; break;
                case "--concurrency": options = options with { Concurrencies = [.. Value().Split(',').Select(c => Positive(c, "--concurrency"))] }; break;
                case "--duration": options = options with { Duration = Seconds(Value()) }; break;
                case "--warmup": options = options with { Warmup = Seconds(Value()) }; break;
                case "--settle": options = options with { Settle = Value() is "0" or "0s" ? TimeSpan.Zero : Seconds(args[i]) }; break;
                case "--settle-rounds": options = options with { SettleRounds = Positive(Value(), "--settle-rounds") }; break;
                case "--payload": options = options with { Payload = Value() }; break;
                case "--label": options = options with { Label = Value() }; break;
                case "--builtin": options = options with { UseWrk = false }; break;
                case "--json-out": options = options with { JsonOut = Value() }; break;
                case "--compare": options = options with { Compare = Value() }; break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }

        options = options with { Endpoint = endpoints?[0] ?? throw new ArgumentException("--endpoint is required"), Endpoints = endpoints };
        return options.Metrics.Count == 0 ? options with { Metrics = [options.Endpoint] } : options;
    }

    private static int Positive(string text, string name) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : throw new ArgumentException($"{name} takes positive integers");

    private static TimeSpan Seconds(string text) =>
        double.TryParse(text.TrimEnd('s'), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0
            ? TimeSpan.FromSeconds(value)
            : throw new ArgumentException($"bad duration {text} (seconds, e.g. 10s)");
}

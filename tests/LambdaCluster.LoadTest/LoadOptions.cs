using System.Globalization;

namespace LambdaCluster.LoadTest;

/// <summary>What to drive and how hard. Parsed from <c>--name value</c> pairs; bad input stops the tool with a message.</summary>
public sealed record LoadOptions
{
    public Uri Endpoint { get; init; } = new("http://127.0.0.1:9000");
    public string Function { get; init; } = "";
    public string? Qualifier { get; init; }
    public int Concurrency { get; init; } = 1;
    public TimeSpan? Duration { get; init; }
    public long? Requests { get; init; }
    public TimeSpan Warmup { get; init; } = TimeSpan.Zero;
    public string Payload { get; init; } = "{}";
    public string Region { get; init; } = "us-east-1";
    public string AccessKey { get; init; } = "test";
    public string SecretKey { get; init; } = "test";
    /// <summary>Endpoints whose /metrics count cold starts (default: the endpoint itself).</summary>
    public IReadOnlyList<Uri> MetricsEndpoints { get; init; } = [];
    /// <summary>Post the payload to this path instead of Lambda's Invoke path (a bare HTTP server as the floor).</summary>
    public string? RawPath { get; init; }
    public bool Json { get; init; }

    public const string Usage = """
        lambda-load: drives one function through the gateway's Invoke API and reports what it saw.

          --endpoint URL        gateway (default http://127.0.0.1:9000); several, comma-separated, are used round robin
          --function NAME       function to invoke (required unless --raw-path)
          --qualifier Q         version to invoke
          --concurrency N       requests in flight at once (default 1)
          --duration 30s|2m     how long to run   } one of the two; default 10s
          --requests N          how many to send  }
          --warmup 2s           run this long first, not counted
          --payload JSON        event (default {})
          --metrics URL[,URL]   nodes whose /metrics count cold starts (default: the endpoints)
          --access-key K --secret-key S --region R   SigV4 credentials (default test/test, us-east-1)
          --raw-path /path      POST the payload to this path unsigned (to measure a bare HTTP server as the floor)
          --json                print the report as one JSON line too
        """;

    public IReadOnlyList<Uri> Endpoints { get; init; } = [];

    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--endpoint" => options with { Endpoints = [.. Value().Split(',').Select(u => new Uri(u))] },
                "--function" => options with { Function = Value() },
                "--qualifier" => options with { Qualifier = Value() },
                "--concurrency" => options with { Concurrency = Positive(Value(), "--concurrency") },
                "--duration" => options with { Duration = ParseDuration(Value()) },
                "--requests" => options with { Requests = Positive(Value(), "--requests") },
                "--warmup" => options with { Warmup = ParseDuration(Value()) },
                "--payload" => options with { Payload = Value() },
                "--metrics" => options with { MetricsEndpoints = [.. Value().Split(',').Select(u => new Uri(u))] },
                "--access-key" => options with { AccessKey = Value() },
                "--secret-key" => options with { SecretKey = Value() },
                "--region" => options with { Region = Value() },
                "--raw-path" => options with { RawPath = Value() },
                "--json" => options with { Json = true },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        if (options.Endpoints.Count == 0)
        {
            options = options with { Endpoints = [options.Endpoint] };
        }

        if (options.Function.Length == 0 && options.RawPath is null)
        {
            throw new ArgumentException("--function is required");
        }

        if (options.Duration is not null && options.Requests is not null)
        {
            throw new ArgumentException("give --duration or --requests, not both");
        }

        return options.Duration is null && options.Requests is null ? options with { Duration = TimeSpan.FromSeconds(10) } : options;
    }

    private static int Positive(string text, string name) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : throw new ArgumentException($"{name} must be a positive integer");

    private static TimeSpan ParseDuration(string text)
    {
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001) : text[^1] switch
        {
            's' => (text[..^1], 1.0),
            'm' => (text[..^1], 60.0),
            _ => (text, 1.0),
        };
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? TimeSpan.FromSeconds(value * unit)
            : throw new ArgumentException($"bad duration {text}");
    }
}

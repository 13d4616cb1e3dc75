namespace LambdaCluster.Runtimes.TelemetryApi;

/// <summary>
/// How a subscriber's records are batched: a batch goes out when it holds <paramref name="MaxItems"/> records or
/// <paramref name="MaxBytes"/> bytes, or <paramref name="TimeoutMs"/> after its first record (the Lambda guide's
/// telemetry-api, "Buffering": 1,000-10,000 items, 262,144-1,048,576 bytes, 25-30,000 ms; defaults 1,000, 262,144, 1,000 for the
/// Telemetry API, 10,000, 262,144, 1,000 for the Logs API).
/// </summary>
internal sealed record TelemetryBuffering(int MaxItems, int MaxBytes, int TimeoutMs)
{
    /// <summary>The Telemetry API's defaults.</summary>
    public static readonly TelemetryBuffering Default = new(1_000, 262_144, 1_000);

    /// <summary>The Logs API's defaults.</summary>
    public static readonly TelemetryBuffering LogsDefault = new(10_000, 262_144, 1_000);
}

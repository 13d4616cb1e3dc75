using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;

namespace LambdaCluster.Runtimes.Telemetry;

/// <summary>
/// The last hour of this node's <see cref="LambdaTelemetry"/> figures per function, minute by minute (Invocations, Errors,
/// Throttles, Duration, the most ConcurrentExecutions seen): what the console's Monitor tab and cluster page graph,
/// without a metrics database. Listens to the meter in-process: recording costs a dictionary lookup and an uncontended
/// lock per measurement, no I/O and no allocation but a function's first minute. Memory is bounded by the functions
/// that ran in the last hour (60 minutes each, histograms holding only the buckets that occurred).
/// </summary>
public sealed class FunctionMetricsRecorder : IHostedService, IDisposable
{
    /// <summary>How much history each node keeps: the console's "last hour".</summary>
    public const int Minutes = 60;

    private readonly ConcurrentDictionary<string, FunctionMinutes> _functions = new(StringComparer.Ordinal);
    private readonly MeterListener _listener = new();
    private readonly TimeProvider _time;

    public FunctionMetricsRecorder(TimeProvider time)
    {
        _time = time;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == LambdaTelemetry.Name && KindOf(instrument) is { } kind)
            {
                listener.EnableMeasurementEvents(instrument, kind);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => Record((MetricKind)state!, value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => Record((MetricKind)state!, value, tags));
        _listener.Start();
    }

    /// <summary>Names of the functions with figures in the last hour.</summary>
    public IReadOnlyCollection<string> Functions
    {
        get
        {
            Prune();
            return [.. _functions.Keys];
        }
    }

    /// <summary>The minutes of the last hour in which <paramref name="functionName"/> had figures, oldest first.</summary>
    public IReadOnlyList<MetricMinute> Read(string functionName) =>
        _functions.TryGetValue(functionName, out var minutes) ? minutes.Read(Oldest) : [];

    /// <summary>Every function's invocations, errors and throttles in the last hour (the cluster page's table).</summary>
    public IReadOnlyList<(string FunctionName, long Invocations, long Errors, long Throttles)> Totals()
    {
        Prune();
        var oldest = Oldest;
        return [.. _functions.Select(f => (f.Key, f.Value.Totals(oldest))).Select(f => (f.Key, f.Item2.Invocations, f.Item2.Errors, f.Item2.Throttles))];
    }

    /// <summary>Nothing to start: a hosted service only so that the node makes it (and starts listening) at start.</summary>
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _listener.Dispose();

    /// <summary>
    /// By name, not by reference: an instrument is published while LambdaTelemetry's static fields are still being
    /// assigned, so comparing with those fields inside the callback would miss it.
    /// </summary>
    private static MetricKind? KindOf(Instrument instrument) => instrument.Name switch
    {
        "lambda.invocations" => MetricKind.Invocations,
        "lambda.errors" => MetricKind.Errors,
        "lambda.throttles" => MetricKind.Throttles,
        "lambda.duration" => MetricKind.Duration,
        "lambda.concurrent_executions" => MetricKind.ConcurrentExecutions,
        _ => null,
    };

    private long CurrentMinute => _time.GetUtcNow().ToUnixTimeSeconds() / 60;

    private long Oldest => CurrentMinute - Minutes + 1;

    private void Record(MetricKind kind, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag is { Key: "function_name", Value: string function })
            {
                var now = CurrentMinute;
                for (;;)
                {
                    var minutes = _functions.GetOrAdd(function, static _ => new FunctionMinutes());
                    if (minutes.TryRecord(now, kind, value))
                    {
                        return;
                    }

                    _functions.TryRemove(KeyValuePair.Create(function, minutes)); // retired meanwhile: a new ring takes it
                }
            }
        }
    }

    /// <summary>Drops the functions whose hour is empty (retired under their lock, so no measurement is lost).</summary>
    private void Prune()
    {
        var oldest = Oldest;
        foreach (var (name, minutes) in _functions)
        {
            if (minutes.TryRetire(oldest))
            {
                _functions.TryRemove(KeyValuePair.Create(name, minutes));
            }
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;

namespace LambdaCluster.Runtimes.Telemetry;

/// <summary>
/// The last hour of this node's <see cref="LambdaTelemetry"/> figures per function, minute by minute (Invocations, Errors,
/// Throttles, Duration, the most ConcurrentExecutions seen): what the console's Monitor tab and cluster page graph,
/// without a metrics database. Listens to the meter in-process, so recording costs a dictionary lookup and a lock per
/// measurement and no I/O. Memory is bounded by the functions that ran in the last hour (older ones are dropped).
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
            if (instrument.Meter.Name == LambdaTelemetry.Name && KindOf(instrument) is not null)
            {
                listener.EnableMeasurementEvents(instrument, KindOf(instrument));
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, state) => Record((Kind)state!, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, state) => Record((Kind)state!, value, tags));
        _listener.Start();
    }

    /// <summary>Names of the functions with figures in the last hour.</summary>
    public IReadOnlyCollection<string> Functions => [.. _functions.Keys];

    /// <summary>The minutes of the last hour in which <paramref name="functionName"/> had figures, oldest first.</summary>
    public IReadOnlyList<MetricMinute> Read(string functionName)
    {
        Prune();
        return _functions.TryGetValue(functionName, out var minutes) ? minutes.Snapshot(CurrentMinute - Minutes + 1) : [];
    }

    /// <summary>Nothing to start: a hosted service only so that the node makes it (and starts listening) at start.</summary>
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _listener.Dispose();

    private enum Kind
    {
        Invocations,
        Errors,
        Throttles,
        Duration,
        Concurrent,
    }

    /// <summary>
    /// By name, not by reference: an instrument is published while LambdaTelemetry's static fields are still being
    /// assigned, so comparing with those fields inside the callback would miss it.
    /// </summary>
    private static object? KindOf(Instrument instrument) => instrument.Name switch
    {
        "lambda.invocations" => Kind.Invocations,
        "lambda.errors" => Kind.Errors,
        "lambda.throttles" => Kind.Throttles,
        "lambda.duration" => Kind.Duration,
        "lambda.concurrent_executions" => Kind.Concurrent,
        _ => null,
    };

    private long CurrentMinute => _time.GetUtcNow().ToUnixTimeSeconds() / 60;

    private void Record(Kind kind, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag is { Key: "function_name", Value: string function })
            {
                _functions.GetOrAdd(function, static _ => new FunctionMinutes()).Record(CurrentMinute, kind, value);
                return;
            }
        }
    }

    private void Prune()
    {
        var oldest = CurrentMinute - Minutes + 1;
        foreach (var (name, minutes) in _functions)
        {
            if (minutes.LastMinute < oldest && minutes.Running == 0)
            {
                _functions.TryRemove(name, out _);
            }
        }
    }

    /// <summary>One function's ring of minutes. Writers and readers take its lock (a few per invocation, uncontended).</summary>
    private sealed class FunctionMinutes
    {
        private readonly Minute[] _ring = new Minute[Minutes];

        public long LastMinute { get; private set; } = long.MinValue;

        public int Running { get; private set; }

        public void Record(long now, Kind kind, double value)
        {
            lock (_ring)
            {
                var minute = _ring[now % Minutes] ??= new Minute();
                if (minute.Number != now)
                {
                    minute.Reset(now, Running);
                }

                LastMinute = now;
                switch (kind)
                {
                    case Kind.Invocations: minute.Invocations += (long)value; break;
                    case Kind.Errors: minute.Errors += (long)value; break;
                    case Kind.Throttles: minute.Throttles += (long)value; break;
                    case Kind.Duration: minute.Durations[DurationBuckets.Of(value)]++; break;
                    case Kind.Concurrent:
                        Running = Math.Max(0, Running + (int)value);
                        minute.Concurrent = Math.Max(minute.Concurrent, Running);
                        break;
                }
            }
        }

        public IReadOnlyList<MetricMinute> Snapshot(long oldest)
        {
            lock (_ring)
            {
                return _ring
                    .Where(m => m is not null && m.Number >= oldest)
                    .OrderBy(m => m!.Number)
                    .Select(m => new MetricMinute(m!.Number, m.Invocations, m.Errors, m.Throttles, m.Concurrent, Sparse(m.Durations)))
                    .ToList();
            }
        }

        private static int[] Sparse(int[] counts)
        {
            var pairs = new List<int>();
            for (var i = 0; i < counts.Length; i++)
            {
                if (counts[i] != 0)
                {
                    pairs.Add(i);
                    pairs.Add(counts[i]);
                }
            }

            return [.. pairs];
        }
    }

    private sealed class Minute
    {
        public long Number = long.MinValue;
        public long Invocations;
        public long Errors;
        public long Throttles;
        public int Concurrent;
        public readonly int[] Durations = new int[DurationBuckets.Count];

        public void Reset(long number, int running)
        {
            (Number, Invocations, Errors, Throttles, Concurrent) = (number, 0, 0, 0, running);
            Array.Clear(Durations);
        }
    }
}

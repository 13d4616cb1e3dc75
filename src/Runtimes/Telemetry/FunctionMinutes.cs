namespace LambdaCluster.Runtimes.Telemetry;

/// <summary>
/// One function's last hour on this node, a ring of <see cref="FunctionMetricsRecorder.Minutes"/> minutes. Writers
/// (a few per invocation) and readers take its lock; uncontended in practice, as one function's invocations rarely end
/// at the same instant. Retired (under the lock) when its hour is empty, so a writer holding a stale reference
/// records into a fresh one instead.
/// </summary>
internal sealed class FunctionMinutes
{
    private readonly Slot[] _ring = new Slot[FunctionMetricsRecorder.Minutes];
    private long _lastMinute = long.MinValue;
    private int _running;
    private bool _retired;

    /// <summary>False when retired: the caller records into the function's new ring.</summary>
    public bool TryRecord(long now, MetricKind kind, double value)
    {
        lock (_ring)
        {
            if (_retired)
            {
                return false;
            }

            var slot = _ring[now % _ring.Length] ??= new Slot();
            if (slot.Minute != now)
            {
                slot.Reset(now, _running);
            }

            _lastMinute = now;
            switch (kind)
            {
                case MetricKind.Invocations: slot.Invocations += (long)value; break;
                case MetricKind.Errors: slot.Errors += (long)value; break;
                case MetricKind.Throttles: slot.Throttles += (long)value; break;
                case MetricKind.Duration:
                    var bucket = DurationBuckets.Of(value);
                    slot.Durations[bucket] = slot.Durations.GetValueOrDefault(bucket) + 1;
                    break;
                case MetricKind.ConcurrentExecutions:
                    _running = Math.Max(0, _running + (int)value);
                    slot.Concurrent = Math.Max(slot.Concurrent, _running);
                    break;
            }

            return true;
        }
    }

    /// <summary>Retires this ring if nothing happened since <paramref name="oldest"/> and nothing runs; true if it did.</summary>
    public bool TryRetire(long oldest)
    {
        lock (_ring)
        {
            _retired |= _lastMinute < oldest && _running == 0;
            return _retired;
        }
    }

    /// <summary>The minutes since <paramref name="oldest"/>, oldest first, with their duration histograms.</summary>
    public IReadOnlyList<MetricMinute> Read(long oldest)
    {
        lock (_ring)
        {
            return _ring
                .Where(slot => slot is not null && slot.Minute >= oldest)
                .OrderBy(slot => slot!.Minute)
                .Select(slot => new MetricMinute(slot!.Minute, slot.Invocations, slot.Errors, slot.Throttles, slot.Concurrent,
                    [.. slot.Durations.OrderBy(d => d.Key).SelectMany(d => new[] { d.Key, d.Value })]))
                .ToList();
        }
    }

    /// <summary>Invocations, errors and throttles since <paramref name="oldest"/> (no histograms: the cluster page's totals).</summary>
    public (long Invocations, long Errors, long Throttles) Totals(long oldest)
    {
        lock (_ring)
        {
            long invocations = 0, errors = 0, throttles = 0;
            foreach (var slot in _ring)
            {
                if (slot is not null && slot.Minute >= oldest)
                {
                    (invocations, errors, throttles) = (invocations + slot.Invocations, errors + slot.Errors, throttles + slot.Throttles);
                }
            }

            return (invocations, errors, throttles);
        }
    }

    /// <summary>One minute's figures; its histogram holds only the buckets that occurred (a few, for most functions).</summary>
    private sealed class Slot
    {
        public long Minute = long.MinValue;
        public long Invocations;
        public long Errors;
        public long Throttles;
        public int Concurrent;
        public readonly Dictionary<int, int> Durations = [];

        public void Reset(long minute, int running)
        {
            (Minute, Invocations, Errors, Throttles, Concurrent) = (minute, 0, 0, 0, running);
            Durations.Clear();
        }
    }
}

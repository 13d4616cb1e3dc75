namespace LambdaCluster.Runtimes.Logs;

/// <summary>
/// The log events appended since the last flush, shared by the log stores: appends never block on I/O, and
/// one flush at a time takes everything queued and writes it as a batch.
/// </summary>
public sealed class LogBatch
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private List<(string Group, string Stream, LogEvent Event)> _pending = [];

    public void Add(string group, string stream, IReadOnlyList<LogEvent> events)
    {
        lock (_gate)
        {
            foreach (var e in events)
            {
                _pending.Add((group, stream, e));
            }
        }
    }

    /// <summary>The events queued for one stream and not written yet, in order.</summary>
    public IReadOnlyList<LogEvent> Pending(string group, string stream)
    {
        lock (_gate)
        {
            return [.. _pending.Where(p => p.Stream == stream && p.Group == group).Select(p => p.Event)];
        }
    }

    /// <summary>Hands everything queued so far, grouped by stream in order, to <paramref name="write"/> (not called when nothing is queued).</summary>
    public Task FlushAsync(Func<IEnumerable<IGrouping<(string Group, string Stream), LogEvent>>, Task> write, CancellationToken cancellationToken) =>
        ExclusiveAsync(async () =>
        {
            List<(string Group, string Stream, LogEvent Event)> batch;
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    return;
                }

                (batch, _pending) = (_pending, []);
            }

            await write(batch.GroupBy(p => (p.Group, p.Stream), p => p.Event));
        }, cancellationToken);

    /// <summary>Runs <paramref name="action"/> with no flush in progress (e.g. deleting a group), dropping the group's queued events first.</summary>
    public Task ExclusiveAsync(Func<Task> action, CancellationToken cancellationToken, string? dropGroup = null) =>
        RunExclusiveAsync(action, dropGroup, cancellationToken);

    private async Task RunExclusiveAsync(Func<Task> action, string? dropGroup, CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            if (dropGroup is not null)
            {
                lock (_gate)
                {
                    _pending.RemoveAll(p => p.Group == dropGroup);
                }
            }

            await action();
        }
        finally
        {
            _flushing.Release();
        }
    }
}

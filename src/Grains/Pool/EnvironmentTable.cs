namespace LambdaCluster.Grains.Pool;

/// <summary>
/// A pool's environments: every entry by key, the idle ones in a stack per silo (the most recently used on top, with
/// the warmest caches), and the acquires waiting for a warm one to come back or for a start to end. Not thread-safe:
/// one pool owns it.
/// </summary>
internal sealed class EnvironmentTable
{
    private readonly Dictionary<string, PoolEntry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<SiloAddress, Stack<PoolEntry>> _idle = [];
    // A waiter gets an environment handed over by a release, or null when a start ended (it may start one now).
    private readonly Queue<TaskCompletionSource<PoolEntry?>> _waiters = new();
    // Grant numbers start at random so that a lease from an earlier activation of the pool cannot match a new grant.
    private long _lastLeaseId = Random.Shared.NextInt64(1, long.MaxValue / 2);

    public int Count => _entries.Count;

    /// <summary>Entries started and not yet through INIT (<see cref="PoolEntry.Initializing"/>).</summary>
    public int Initializing { get; private set; }

    public IEnumerable<PoolEntry> Entries => _entries.Values;

    /// <summary>
    /// Leased environments through INIT (<see cref="PoolEntry.Warm"/>): free again once their calls end, so called back
    /// from the dispatchers holding them before another is started (see <see cref="AnyWarmLeaseComingBack"/> for the
    /// ones worth a wait).
    /// </summary>
    public int WarmLeased { get; private set; }

    /// <summary>
    /// A leased warm environment whose lease comes back after its call (<see cref="PoolEntry.ReturnsAfterEachCall"/>), so
    /// worth a short wait before starting another; of <paramref name="revision"/> only (an older one is forgotten when it
    /// comes back). Walks the entries only when some warm one is leased.
    /// </summary>
    public bool AnyWarmLeaseComingBack(string revision) =>
        WarmLeased > 0 && _entries.Values.Any(e => e.Leased && e.Warm && e.ReturnsAfterEachCall && e.Revision == revision);

    public bool TryGet(string environmentKey, out PoolEntry entry) => _entries.TryGetValue(environmentKey, out entry!);

    /// <summary>An entry found running (adopted from an earlier activation of the pool).</summary>
    public PoolEntry Add(PoolEntry entry)
    {
        _entries.Add(entry.EnvironmentKey, entry);
        return entry;
    }

    /// <summary>A new entry about to start, leased to whoever asked for it (or, when provisioned, starting its INIT).</summary>
    public PoolEntry AddStarting(PoolEntry entry, DateTimeOffset now)
    {
        entry.Initializing = true;
        entry.StartedAt = now;
        Initializing++;
        return Add(entry);
    }

    /// <summary>Stops counting starts that began before <paramref name="cutoff"/> (their word that INIT ended was lost).</summary>
    public void EndInitsStartedBefore(DateTimeOffset cutoff)
    {
        if (Initializing == 0)
        {
            return;
        }

        foreach (var stale in _entries.Values.Where(e => e.Initializing && e.StartedAt < cutoff).ToList())
        {
            EndInit(stale);
        }
    }

    /// <summary>
    /// The entry's INIT ended (or it never will): one more start may run, so the first acquire waiting for one is woken
    /// (it checks again; a release may have been handed to it meanwhile instead).
    /// </summary>
    public void EndInit(PoolEntry entry)
    {
        if (!entry.Initializing)
        {
            return;
        }

        entry.Initializing = false;
        Initializing--;
        while (_waiters.TryDequeue(out var waiter))
        {
            if (waiter.TrySetResult(null))
            {
                return;
            }
        }
    }

    /// <summary>An idle, ready environment of <paramref name="revision"/>, on <paramref name="near"/> when it has one; now leased.</summary>
    public PoolEntry? LeaseIdle(SiloAddress? near, string revision)
    {
        if (near is not null && _idle.TryGetValue(near, out var local) && Pop(local, revision) is { } nearby)
        {
            return MarkLeased(nearby);
        }

        foreach (var stack in _idle.Values)
        {
            if (Pop(stack, revision) is { } any)
            {
                return MarkLeased(any);
            }
        }

        return null;
    }

    /// <summary>Marks an entry leased under a new grant number (an adopted one keeps number 0: its holder's is unknown).</summary>
    public PoolEntry MarkLeased(PoolEntry entry, bool adopted = false)
    {
        entry.Leased = true;
        entry.LeaseId = adopted ? 0 : ++_lastLeaseId;
        entry.ReturnsAfterEachCall = false; // set when the lease is made out to its caller
        if (entry.Warm)
        {
            WarmLeased++;
        }

        return entry;
    }

    /// <summary>
    /// The entry's first invocation is under way (its INIT ended while leased): it is free once that call ends, so an
    /// acquire that finds nothing idle waits for it (when it comes back after each call) or calls it back from the
    /// dispatcher holding it, before starting another.
    /// </summary>
    public void MarkWarm(PoolEntry entry)
    {
        if (!entry.Warm)
        {
            entry.Warm = true;
            if (entry.Leased)
            {
                WarmLeased++;
            }
        }
    }

    /// <summary>
    /// The grant <paramref name="leaseId"/> on <paramref name="entry"/> ended (null: whichever grant it is under); false
    /// when it is not leased under that grant.
    /// </summary>
    public bool EndLease(PoolEntry entry, long? leaseId = null)
    {
        if (!entry.Leased || (leaseId is { } id && entry.LeaseId != 0 && entry.LeaseId != id))
        {
            return false;
        }

        entry.Leased = false;
        entry.LeaseId = 0;
        entry.ReturnsAfterEachCall = false;
        if (entry.Warm)
        {
            WarmLeased--;
        }

        return true;
    }

    /// <summary>
    /// A released (or newly provisioned) environment goes to the first acquire still waiting for one (true), or back
    /// onto its silo's idle stack (false). The waiter was already counted leased, so the entry passes to it directly.
    /// Its INIT is over either way.
    /// </summary>
    public bool HandOverOrIdle(PoolEntry entry, DateTimeOffset now)
    {
        entry.Warm = true;
        var handedOver = HandOver(entry);
        if (!handedOver)
        {
            entry.IdleSince = now;
            if (!_idle.TryGetValue(entry.Silo, out var stack))
            {
                _idle[entry.Silo] = stack = new Stack<PoolEntry>();
            }

            stack.Push(entry);
        }

        EndInit(entry);
        return handedOver;
    }

    private bool HandOver(PoolEntry entry)
    {
        while (_waiters.TryDequeue(out var waiter))
        {
            MarkLeased(entry);
            if (waiter.TrySetResult(entry))
            {
                return true;
            }

            EndLease(entry);
        }

        return false;
    }

    /// <summary>
    /// Waits up to <paramref name="wait"/> for a warm environment to come back (now leased to the caller); null when none
    /// did, or when a start ended first (see <see cref="EndInit"/>).
    /// </summary>
    public async Task<PoolEntry?> WaitForReleaseAsync(TimeSpan wait, TimeProvider time)
    {
        var waiter = new TaskCompletionSource<PoolEntry?>();
        _waiters.Enqueue(waiter);
        try
        {
            return await waiter.Task.WaitAsync(wait, time);
        }
        catch (TimeoutException)
        {
            // A release may have handed an environment over between the timeout and this turn: it is this acquire's.
            return waiter.TrySetCanceled() ? null : waiter.Task.Result;
        }
    }

    /// <summary>Forgets an entry (its idle-stack slot is dropped lazily).</summary>
    public void Remove(PoolEntry entry)
    {
        if (_entries.Remove(entry.EnvironmentKey))
        {
            EndLease(entry);
            EndInit(entry);
        }
    }

    /// <summary>Forgets every entry on a silo that left; returns how many there were and how many of them were leased.</summary>
    public (int Lost, int Leased) RemoveSilo(SiloAddress silo)
    {
        var lost = _entries.Values.Where(e => e.Silo.Equals(silo)).ToList();
        var leased = lost.Count(e => e.Leased); // counted before Remove ends their leases
        lost.ForEach(Remove);
        _idle.Remove(silo);
        return (lost.Count, leased);
    }

    /// <summary>Silos whose dispatchers may hold leases of this pool between calls.</summary>
    public IReadOnlyList<SiloAddress> SilosWithLeases() => [.. _entries.Values.Where(e => e.Leased).Select(e => e.Silo).Distinct()];

    private PoolEntry? Pop(Stack<PoolEntry> stack, string revision)
    {
        while (stack.TryPop(out var entry))
        {
            if (!entry.Leased && entry.Ready && entry.Revision == revision && _entries.TryGetValue(entry.EnvironmentKey, out var current) && current == entry)
            {
                return entry;
            }
        }

        return null;
    }
}

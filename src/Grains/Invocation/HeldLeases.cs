using LambdaCluster.Grains.Pool;

namespace LambdaCluster.Grains.Invocation;

/// <summary>
/// One pool's leases a dispatcher holds idle between calls: the most recently used on top (its environment has the
/// warmest caches), at most one per environment, and the revision the pool last named. Not thread-safe: the
/// dispatcher locks it.
/// </summary>
internal sealed class HeldLeases
{
    private readonly Stack<(EnvironmentLease Lease, long Since)> _idle = new();
    private readonly Dictionary<string, long> _leaseIds = new(StringComparer.Ordinal);

    /// <summary>The revision the pool last named; leases of any other are not kept.</summary>
    public string? Revision { get; set; }

    public int Count => _leaseIds.Count;

    /// <summary>
    /// Holds <paramref name="lease"/>, held since <paramref name="now"/> (a timestamp). When a lease on the same environment
    /// is already held, only the later grant is kept (the pool grants one environment to one holder at a time, so the
    /// other is stale); returns the grant number that was dropped, or null.
    /// </summary>
    public long? Add(EnvironmentLease lease, long now)
    {
        if (_leaseIds.TryGetValue(lease.EnvironmentKey, out var held))
        {
            if (held >= lease.LeaseId)
            {
                return lease.LeaseId;
            }

            Rebuild(e => e.Lease.EnvironmentKey != lease.EnvironmentKey);
        }

        _leaseIds[lease.EnvironmentKey] = lease.LeaseId;
        _idle.Push((lease, now));
        return held == 0 ? null : held;
    }

    /// <summary>The most recently used lease, or null.</summary>
    public EnvironmentLease? Take()
    {
        if (!_idle.TryPop(out var top))
        {
            return null;
        }

        _leaseIds.Remove(top.Lease.EnvironmentKey);
        return top.Lease;
    }

    /// <summary>Takes up to <paramref name="max"/> leases, the least recently used first (a pool calling them back).</summary>
    public List<HeldLease> TakeLeastRecent(int max)
    {
        var taken = _idle.Reverse().Take(max).Select(h => h.Lease.ToHeld()).ToList();
        if (taken.Count == _idle.Count)
        {
            _idle.Clear();
            _leaseIds.Clear();
            return taken;
        }

        var keys = taken.Select(t => t.EnvironmentKey).ToHashSet(StringComparer.Ordinal);
        Rebuild(h => !keys.Contains(h.Lease.EnvironmentKey));
        keys.ToList().ForEach(k => _leaseIds.Remove(k));
        return taken;
    }

    /// <summary>Takes the leases held since before <paramref name="cutoff"/> (a timestamp); null when there are none.</summary>
    public List<HeldLease>? TakeHeldBefore(long cutoff)
    {
        if (_idle.Count == 0 || _idle.Min(h => h.Since) >= cutoff)
        {
            return null;
        }

        var expired = _idle.Where(h => h.Since < cutoff).Select(h => h.Lease.ToHeld()).ToList();
        Rebuild(h => h.Since >= cutoff);
        expired.ForEach(e => _leaseIds.Remove(e.EnvironmentKey));
        return expired;
    }

    /// <summary>True when a lease on <paramref name="environmentKey"/> is held.</summary>
    public bool Holds(string environmentKey) => _leaseIds.ContainsKey(environmentKey);

    private void Rebuild(Func<(EnvironmentLease Lease, long Since), bool> keep)
    {
        var kept = _idle.Where(keep).Reverse().ToList(); // bottom first, so pushing restores the order
        _idle.Clear();
        kept.ForEach(_idle.Push);
    }
}

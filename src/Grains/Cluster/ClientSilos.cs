using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace LambdaCluster.Grains.Cluster;

/// <summary>
/// In a gateway-only process: the active silos as last seen (by <see cref="ClientSiloWatcher"/>), and the choice of one
/// for the next invocation: the silo with the fewest of this process's invocations in flight, ties taken in turn
/// (least outstanding requests). A silo runs a call on a lease its dispatcher holds only while it has no more calls in
/// flight than warm environments of its own; taking turns regardless lets a silo's share swing above that, and each
/// call over it asks the version's pool and runs on another silo's environment, which that silo's next call then
/// misses in turn.
/// </summary>
public sealed class ClientSilos(IGrainFactory grains)
{
    private ImmutableArray<(SiloAddress Silo, StrongBox<int> InFlight)> _active = [];
    private int _turn;

    /// <summary>Replaces the active silos; a silo still active keeps its count of calls in flight.</summary>
    public void Update(IEnumerable<SiloAddress> active)
    {
        var known = _active;
        _active = [.. active
            .OrderBy(s => s.ToParsableString(), StringComparer.Ordinal)
            .Select(s => (s, known.FirstOrDefault(k => k.Silo.Equals(s)).InFlight ?? new StrongBox<int>()))];
    }

    /// <summary>
    /// Counts a call against the silo that should take it, until the returned <see cref="SiloCall"/> is disposed; asks the
    /// cluster when no silo is known yet (the process just started). Null when the cluster has no active silo.
    /// </summary>
    public async ValueTask<SiloCall?> StartCallAsync()
    {
        var active = _active;
        if (active.IsEmpty)
        {
            Update((await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Keys);
            active = _active;
            if (active.IsEmpty)
            {
                return null;
            }
        }

        var first = (int)((uint)Interlocked.Increment(ref _turn) % (uint)active.Length);
        var chosen = active[first];
        for (var i = 1; i < active.Length; i++)
        {
            var next = active[(first + i) % active.Length];
            if (Volatile.Read(ref next.InFlight.Value) < Volatile.Read(ref chosen.InFlight.Value))
            {
                chosen = next;
            }
        }

        Interlocked.Increment(ref chosen.InFlight.Value);
        return new SiloCall(chosen.Silo, chosen.InFlight);
    }
}

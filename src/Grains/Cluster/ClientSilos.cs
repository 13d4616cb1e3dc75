using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace LambdaCluster.Grains.Cluster;

/// <summary>
/// In a gateway-only process: the active silos as last seen (by <see cref="ClientSiloWatcher"/>), and the choice of one
/// for the next invocation: the silo with the fewest of this process's invocations in flight, ties taken in turn
/// (least outstanding requests), passing over a silo a call just found unreachable. A silo runs a call on a lease its
/// dispatcher holds only while it has no more calls in flight than warm environments of its own; taking turns regardless
/// lets a silo's share swing above that, and each call over it asks the version's pool and runs on another silo's
/// environment, which that silo's next call then misses in turn.
/// </summary>
public sealed class ClientSilos(IGrainFactory grains, TimeProvider time)
{
    /// <summary>
    /// How long a silo a call found unreachable is passed over: a crashed silo answers every call at once with a failure,
    /// so it would otherwise always have the fewest in flight, until membership (polled every second) drops it.
    /// </summary>
    public static readonly TimeSpan Shunned = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private ImmutableArray<Entry> _active = [];
    private int _turn;

    /// <summary>Replaces the active silos; a silo still active keeps its count of calls in flight and its shunning.</summary>
    public void Update(IEnumerable<SiloAddress> active)
    {
        lock (_gate) // the watcher and a first caller may both update: neither may drop the other's counts
        {
            var known = _active;
            _active = [.. active
                .OrderBy(s => s.ToParsableString(), StringComparer.Ordinal)
                .Select(s => known.FirstOrDefault(k => k.Silo.Equals(s)) ?? new Entry(s))];
        }
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

        var now = time.GetTimestamp();
        var first = (int)((uint)Interlocked.Increment(ref _turn) % (uint)active.Length);
        Entry? chosen = null;
        for (var i = 0; i < active.Length; i++)
        {
            var next = active[(first + i) % active.Length];
            if (chosen is null || Better(next, chosen, now))
            {
                chosen = next;
            }
        }

        Interlocked.Increment(ref chosen!.InFlight.Value);
        return new SiloCall(chosen.Silo, chosen.InFlight);
    }

    /// <summary>A call found <paramref name="silo"/> unreachable (it left, or refused the connection): pass it over for <see cref="Shunned"/>.</summary>
    public void Unreachable(SiloAddress silo)
    {
        if (_active.FirstOrDefault(e => e.Silo.Equals(silo)) is { } entry)
        {
            Interlocked.Exchange(ref entry.ShunnedUntil, time.GetTimestamp() + (long)(Shunned.TotalSeconds * time.TimestampFrequency));
        }
    }

    /// <summary>A silo not shunned beats a shunned one; then the fewer calls in flight.</summary>
    private static bool Better(Entry candidate, Entry chosen, long now)
    {
        var (candidateShunned, chosenShunned) = (Interlocked.Read(ref candidate.ShunnedUntil) > now, Interlocked.Read(ref chosen.ShunnedUntil) > now);
        return candidateShunned != chosenShunned
            ? chosenShunned
            : Volatile.Read(ref candidate.InFlight.Value) < Volatile.Read(ref chosen.InFlight.Value);
    }

    private sealed class Entry(SiloAddress silo)
    {
        public SiloAddress Silo { get; } = silo;

        public StrongBox<int> InFlight { get; } = new();

        public long ShunnedUntil;
    }
}

using System.Collections.Immutable;

namespace LambdaCluster.Grains.Cluster;

/// <summary>
/// In a gateway-only process: the active silos as last seen (by <see cref="ClientSiloWatcher"/>), and a turn-taking
/// choice among them for the next invocation, so that every silo's dispatcher gets a share and keeps warm leases.
/// </summary>
public sealed class ClientSilos(IGrainFactory grains)
{
    private ImmutableArray<SiloAddress> _active = [];
    private int _turn;

    public void Update(IEnumerable<SiloAddress> active) => _active = [.. active.OrderBy(s => s.ToParsableString(), StringComparer.Ordinal)];

    /// <summary>The silo for the next invocation; asks the cluster when none is known yet (the process just started).</summary>
    public async ValueTask<SiloAddress?> NextAsync()
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

        return active[(int)((uint)Interlocked.Increment(ref _turn) % (uint)active.Length)];
    }
}

using System.Collections.Concurrent;
using System.Collections.Immutable;
using LambdaCluster.Grains.Pool;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LambdaCluster.Grains.Cluster;

/// <summary>
/// This silo's picture of the cluster, shared by the pool grains living here: which silos are active
/// (from Orleans membership, at once), how loaded each is (polled from their node agents every second),
/// and which pools to tell when a silo leaves, so that they forget its environments immediately.
/// </summary>
public sealed partial class ClusterView(IClusterMembershipService membership, IGrainFactory grains, SiloDepartures departures, TimeProvider time, ILogger<ClusterView> logger) : BackgroundService
{
    private static readonly TimeSpan LoadInterval = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<SiloAddress, NodeLoad> _loads = new();
    private readonly ConcurrentDictionary<SiloAddress, int> _assignedSinceSample = new();
    private readonly ConcurrentDictionary<string, byte> _pools = new(StringComparer.Ordinal);
    private ImmutableHashSet<SiloAddress> _active = [];

    /// <summary>Silos currently active in the cluster (all run environments).</summary>
    public IReadOnlyCollection<SiloAddress> ActiveSilos => ActiveSet();

    public bool IsActive(SiloAddress silo) => ActiveSet().Contains(silo);

    public void RegisterPool(string poolKey) => _pools.TryAdd(poolKey, 0);

    public void UnregisterPool(string poolKey) => _pools.TryRemove(poolKey, out _);

    /// <summary>
    /// The silo for a new environment: the least loaded active silo with a free slot, counting environments
    /// (starting ones twice: they cost CPU now), the ones placed there since its last sample, and CPU use.
    /// <paramref name="preferred"/> (the caller's silo) wins unless it is clearly busier than the best (by more than a
    /// quarter and two environments): an environment next to its caller serves it without a network hop, and its
    /// dispatcher keeps the lease between calls. Null when no silo can take another environment.
    /// </summary>
    public SiloAddress? ChooseSilo(SiloAddress? preferred)
    {
        var best = Best(preferred);
        if (best is not null)
        {
            Placed(best);
        }

        return best;
    }

    /// <summary>
    /// True when <see cref="ChooseSilo"/> would place a new environment on <paramref name="silo"/> as the preferred one
    /// (it has room, and is not clearly busier than the best); records nothing (see <see cref="Placed"/>).
    /// </summary>
    public bool WouldChoose(SiloAddress silo) => Score(silo) is not null && silo.Equals(Best(silo)); // Best falls back to the preferred one when no silo has room

    /// <summary>Counts a new environment placed on <paramref name="silo"/> until its next load sample shows it.</summary>
    public void Placed(SiloAddress silo) => _assignedSinceSample.AddOrUpdate(silo, 1, (_, n) => n + 1);

    private SiloAddress? Best(SiloAddress? preferred)
    {
        SiloAddress? best = null;
        var bestScore = double.MaxValue;
        var preferredScore = double.MaxValue;
        foreach (var silo in ActiveSet())
        {
            if (Score(silo) is not { } score)
            {
                continue;
            }

            if (silo.Equals(preferred))
            {
                preferredScore = score;
            }

            if (score < bestScore)
            {
                (best, bestScore) = (silo, score);
            }
        }

        return preferred is not null && preferredScore <= (bestScore * 1.25) + 2 ? preferred : best;
    }

    /// <summary>How loaded a silo is for another environment; null when it has no room (no free slot, memory nearly full).</summary>
    private double? Score(SiloAddress silo)
    {
        var assigned = _assignedSinceSample.GetValueOrDefault(silo);
        if (!_loads.TryGetValue(silo, out var load))
        {
            return assigned;
        }

        if (load.FreeSlots - assigned <= 0 || load.MemoryUsage > 0.95)
        {
            return null;
        }

        return (load.Environments + (2 * load.Initializing) + assigned) * (1 + load.CpuUsage);
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        Apply(membership.CurrentSnapshot);
        await base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(WatchMembershipAsync(stoppingToken), PollLoadsAsync(stoppingToken));

    private ImmutableHashSet<SiloAddress> ActiveSet() => Volatile.Read(ref _active);

    private async Task WatchMembershipAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                Apply(snapshot);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Apply(ClusterMembershipSnapshot snapshot)
    {
        var active = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).ToImmutableHashSet();
        var previous = Interlocked.Exchange(ref _active, active);
        foreach (var left in previous.Except(active))
        {
            departures.Gone(left);
            _loads.TryRemove(left, out _);
            _assignedSinceSample.TryRemove(left, out _);
            LogSiloLeft(logger, left, _pools.Count);
            foreach (var pool in _pools.Keys)
            {
                // One-way and local: each pool drops that silo's environments the moment membership says it is gone.
                _ = grains.GetGrain<IFunctionVersionGrain>(pool).SiloLeftAsync(left);
            }
        }
    }

    private async Task PollLoadsAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(LoadInterval, time);
        try
        {
            do
            {
                await Task.WhenAll(ActiveSet().Select(PollAsync));
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task PollAsync(SiloAddress silo)
    {
        try
        {
            var load = await grains.GetGrain<INodeAgentGrain>(NodeAgentKeys.For(silo)).GetLoadAsync().WaitAsync(LoadInterval);
            _loads[silo] = load;
            _assignedSinceSample[silo] = 0;
        }
        catch (Exception e) when (e is TimeoutException or SiloUnavailableException or OrleansException)
        {
            // A silo that does not answer keeps its last sample until membership decides about it.
        }
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Silo {Silo} left the cluster; telling {Pools} local pools")]
    private static partial void LogSiloLeft(ILogger logger, SiloAddress silo, int pools);
}

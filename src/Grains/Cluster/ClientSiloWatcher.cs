using Microsoft.Extensions.Hosting;
using Orleans.Runtime;

namespace LambdaCluster.Grains.Cluster;

/// <summary>
/// In a gateway-only process (an Orleans client, which sees no membership events): asks the cluster for its active
/// silos every second, publishes them to <see cref="ClientSilos"/> and reports the ones that went away to <see cref="SiloDepartures"/>.
/// </summary>
public sealed class ClientSiloWatcher(IGrainFactory grains, SiloDepartures departures, ClientSilos silos, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var known = new HashSet<SiloAddress>();
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Dictionary<SiloAddress, SiloStatus> hosts;
                try
                {
                    hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(Interval * 5, stoppingToken);
                }
                catch (Exception e) when (e is TimeoutException or OrleansException or SiloUnavailableException)
                {
                    continue;
                }

                foreach (var silo in known.Where(s => !hosts.ContainsKey(s)))
                {
                    departures.Gone(silo);
                }

                silos.Update(hosts.Keys);
                known = [.. hosts.Keys];
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}

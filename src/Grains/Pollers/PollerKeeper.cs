using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LambdaCluster.Grains.Pollers;

/// <summary>
/// On every silo: wakes the registered pollers shortly after start and then every few seconds, so that a poller
/// whose silo died (or every silo restarted) runs again without anyone sending it work.
/// </summary>
public sealed partial class PollerKeeper(IGrainFactory grains, TimeProvider time, ILogger<PollerKeeper> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                try
                {
                    await grains.GetGrain<IPollerRegistryGrain>(PollerRegistryGrain.Key).WakeAllAsync();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogWakeFailed(logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 6002, Level = LogLevel.Debug, Message = "Waking the pollers failed; the next round tries again")]
    private static partial void LogWakeFailed(ILogger logger, Exception exception);
}

using Microsoft.Extensions.Hosting;

namespace LambdaCluster.Runtimes.Logs;

/// <summary>Writes buffered log events every 100 ms, so that logs of a running invocation show up while it runs.</summary>
public sealed class LogFlushService(ILogStore store, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await store.FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await store.FlushAsync(CancellationToken.None);
    }
}

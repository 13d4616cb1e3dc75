using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Runtimes.Images;

/// <summary>
/// Removes the node's unused container images every <see cref="ImageOptions.SweepInterval"/>
/// (<see cref="ImageStore.RemoveUnused"/>), so that a node whose functions' images change keeps only those still in use.
/// A sweep that fails is logged and the next one tries again: the node never stops over it.
/// </summary>
internal sealed partial class ImageSweeper(ImageStore images, IOptions<ImageOptions> options, TimeProvider time, ILogger<ImageSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await Task.Run(images.RemoveUnused, stoppingToken); // recursive deletes: off the timer's thread
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogSweepFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The node is stopping.
        }
    }

    [LoggerMessage(EventId = 2704, Level = LogLevel.Error, Message = "A sweep of unused images failed; the next one tries again")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}

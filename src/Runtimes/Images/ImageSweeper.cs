using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Runtimes.Images;

/// <summary>
/// Removes the node's unused container images every <see cref="ImageOptions.SweepInterval"/>
/// (<see cref="ImageStore.RemoveUnused"/>), so that a node whose functions' images change keeps only those still in use.
/// </summary>
internal sealed class ImageSweeper(ImageStore images, IOptions<ImageOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await Task.Run(images.RemoveUnused, stoppingToken); // recursive deletes: off the timer's thread
            }
        }
        catch (OperationCanceledException)
        {
            // The node is stopping.
        }
    }
}

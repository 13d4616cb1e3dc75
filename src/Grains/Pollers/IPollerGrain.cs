namespace LambdaCluster.Grains.Pollers;

/// <summary>
/// A grain that works in the background while it has work (an asynchronous-invocation dispatcher, an event source
/// mapping's poller). It is woken by whoever gives it work and, so that it survives silo loss and restarts, every
/// few seconds by each silo through <see cref="IPollerRegistryGrain"/>.
/// </summary>
[Alias("lambda.IPollerGrain")]
public interface IPollerGrain : IGrainWithStringKey
{
    /// <summary>Starts the background work if it is not running; cheap when it is.</summary>
    [Alias("EnsureRunning"), Orleans.Concurrency.AlwaysInterleave] Task EnsureRunningAsync();
}

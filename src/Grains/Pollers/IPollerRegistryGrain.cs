namespace LambdaCluster.Grains.Pollers;

/// <summary>The pollers that must keep running (key: <see cref="PollerRegistryGrain.Key"/>), persisted, woken together.</summary>
[Alias("lambda.IPollerRegistryGrain")]
public interface IPollerRegistryGrain : IGrainWithStringKey
{
    [Alias("Add")] Task AddAsync(GrainId poller);

    [Alias("Remove")] Task RemoveAsync(GrainId poller);

    /// <summary>Calls EnsureRunning on every registered poller (each call is cheap when it runs already).</summary>
    [Alias("WakeAll")] Task WakeAllAsync();
}

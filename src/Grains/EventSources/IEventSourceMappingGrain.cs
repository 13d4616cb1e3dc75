using LambdaCluster.Grains.Pollers;

namespace LambdaCluster.Grains.EventSources;

/// <summary>
/// One event source mapping (key: its UUID): its persisted configuration and, while it is enabled, its poller,
/// which runs on whichever silo hosts the grain and comes back elsewhere when that silo dies.
/// </summary>
[Alias("lambda.IEventSourceMappingGrain")]
public interface IEventSourceMappingGrain : IPollerGrain
{
    [Alias("Put")] Task<EventSourceMapping> PutAsync(EventSourceMapping mapping);

    [Alias("Get"), Orleans.Concurrency.AlwaysInterleave] Task<EventSourceMapping?> GetAsync();

    /// <summary>Stops the poller and forgets the mapping; the mapping as it was, or null when there was none.</summary>
    [Alias("Delete")] Task<EventSourceMapping?> DeleteAsync();
}

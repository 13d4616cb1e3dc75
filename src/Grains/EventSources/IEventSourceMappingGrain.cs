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

    /// <summary>
    /// Applies a tag change (added or replaced tags, then removed keys) to the mapping without touching its poller;
    /// the mapping after it, or null when it does not exist. InvalidParameterValue beyond 50 tags.
    /// </summary>
    [Alias("Retag")] Task<EventSourceMapping?> RetagAsync(IReadOnlyDictionary<string, string> added, IReadOnlyList<string> removed);
}

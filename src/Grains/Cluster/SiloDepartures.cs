using System.Collections.Concurrent;

namespace LambdaCluster.Grains.Cluster;

/// <summary>
/// Tells callers when a silo has left the cluster, so that an invocation running on it fails at once with a
/// retryable error instead of waiting out its response timeout (Orleans breaks such calls only for callers
/// inside a silo). Fed by <see cref="ClusterView"/> in silos and by <see cref="ClientSiloWatcher"/> in gateway-only processes.
/// </summary>
public sealed class SiloDepartures
{
    private readonly ConcurrentDictionary<SiloAddress, TaskCompletionSource> _departures = new();

    /// <summary>Completes when the silo leaves (at once if it already has). One cached task per silo: no allocation per call.</summary>
    public Task WhenGone(SiloAddress silo) => Entry(silo).Task;

    public void Gone(SiloAddress silo) => Entry(silo).TrySetResult();

    private TaskCompletionSource Entry(SiloAddress silo) =>
        _departures.GetOrAdd(silo, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}

using Orleans.Concurrency;
using LambdaCluster.Grains.Pool;
using LambdaCluster.Runtimes.Invocation;

namespace LambdaCluster.Grains.Environments;

/// <summary>
/// One execution environment (key: <see cref="EnvironmentKeys"/>), living on the silo its key names and
/// owning its process through that silo's supervisor. One invocation at a time.
/// </summary>
[Alias("lambda.IExecutionEnvironmentGrain")]
public interface IExecutionEnvironmentGrain : IGrainWithStringKey
{
    /// <summary>
    /// Runs one invocation under a lease (starting the environment first when the lease is fresh) and gives the lease
    /// back however it ends. Never throws for an expected ending: the result's outcome says how it went.
    /// </summary>
    [Alias("Invoke"), ResponseTimeout("00:16:00")]
    Task<InvocationResult> InvokeAsync(EnvironmentLease lease, InvocationRequest request);

    /// <summary>
    /// Runs one invocation under a lease with its response streamed back as the function writes it: a head (content
    /// type), the chunks, then the completion. Cancelling (or disposing the enumeration early) means the caller went
    /// away: the invocation is abandoned and its environment destroyed.
    /// </summary>
    [Alias("InvokeStreaming")]
    IAsyncEnumerable<ResponseStreamPart> InvokeStreamingAsync(EnvironmentLease lease, InvocationRequest request, CancellationToken cancellationToken = default);

    /// <summary>Provisioned concurrency: starts the environment and runs INIT ahead of traffic. False when INIT failed.</summary>
    [Alias("Prepare"), ResponseTimeout("00:16:00")]
    Task<bool> PrepareAsync(EnvironmentLease lease);

    /// <summary>
    /// Pre-warming from history: starts the environment and runs an on-demand INIT ahead of a predicted call, within the
    /// node's pre-warm memory budget. False when the budget has no room or INIT failed.
    /// </summary>
    [Alias("Prewarm"), ResponseTimeout("00:16:00")]
    Task<bool> PrewarmAsync(EnvironmentLease lease);

    /// <summary>Stops the environment's process tree, even in the middle of an invocation. Idempotent.</summary>
    [Alias("Shutdown"), AlwaysInterleave]
    Task ShutdownAsync(string reason);
}

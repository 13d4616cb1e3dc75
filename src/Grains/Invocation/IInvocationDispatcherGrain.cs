using LambdaCluster.Runtimes.Invocation;
using LambdaCluster.Grains.Pool;
using Orleans.Concurrency;

namespace LambdaCluster.Grains.Invocation;

/// <summary>
/// A silo's <see cref="InvocationDispatcher"/> as other processes reach it (key: <see cref="DispatcherKeys"/>): a
/// gateway-only process sends its invocations here, and pools call back the leases it holds. Callers inside the silo
/// use the dispatcher directly.
/// </summary>
[Alias("lambda.IInvocationDispatcherGrain")]
public interface IInvocationDispatcherGrain : IGrainWithStringKey
{
    /// <summary>One attempt at an invocation of a function version (<c>{function}:{version}</c>); the outcome says how it ended.</summary>
    [Alias("Invoke"), ResponseTimeout("00:16:00")]
    Task<InvocationResult> InvokeAsync(string poolKey, InvocationRequest request);

    /// <summary>The streaming form: head, chunks as the function writes them, completion. Cancelling abandons the invocation.</summary>
    [Alias("InvokeStreaming")]
    IAsyncEnumerable<ResponseStreamPart> InvokeStreamingAsync(string poolKey, InvocationRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// A pool calls back the leases held idle here (at most <paramref name="max"/>, the least recently used first); with
    /// a revision, older ones are not kept any more.
    /// </summary>
    [Alias("Recall")]
    Task<IReadOnlyList<HeldLease>> RecallAsync(string poolKey, string? revision, int max);
}

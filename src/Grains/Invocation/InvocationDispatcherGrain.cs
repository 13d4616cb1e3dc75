using LambdaCluster.Grains.Placement;
using LambdaCluster.Grains.Pool;
using LambdaCluster.Runtimes.Invocation;
using Orleans.Concurrency;
using Orleans.Placement;

namespace LambdaCluster.Grains.Invocation;

/// <inheritdoc cref="IInvocationDispatcherGrain"/>
[SiloPinnedPlacement, Immovable, Reentrant, GrainType("invocation-dispatcher")]
public sealed class InvocationDispatcherGrain(InvocationDispatcher dispatcher) : Grain, IInvocationDispatcherGrain
{
    public Task<InvocationResult> InvokeAsync(string poolKey, InvocationRequest request) => dispatcher.InvokeAsync(poolKey, request);

    public IAsyncEnumerable<ResponseStreamPart> InvokeStreamingAsync(string poolKey, InvocationRequest request, CancellationToken cancellationToken = default) =>
        dispatcher.InvokeStreamingAsync(poolKey, request, cancellationToken);

    public Task<IReadOnlyList<HeldLease>> RecallAsync(string poolKey, string? revision, int max) => Task.FromResult(dispatcher.Recall(poolKey, revision, max));
}

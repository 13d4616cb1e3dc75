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
    /// <summary>
    /// Runs the invocation off this activation, as a call from this silo's own front door runs: every call a gateway-only
    /// process sends here shares this one reentrant activation, whose scheduler would otherwise run each continuation of
    /// every one of them (the Runtime API hand-offs, the pool's answers) one at a time, with a hop through it for each.
    /// </summary>
    public Task<InvocationResult> InvokeAsync(string poolKey, InvocationRequest request) => Task.Run(() => dispatcher.InvokeAsync(poolKey, request));

    public IAsyncEnumerable<ResponseStreamPart> InvokeStreamingAsync(string poolKey, InvocationRequest request, CancellationToken cancellationToken = default) =>
        dispatcher.InvokeStreamingAsync(poolKey, request, cancellationToken);

    public Task<IReadOnlyList<HeldLease>> RecallAsync(string poolKey, string? revision, int max) => Task.FromResult(dispatcher.Recall(poolKey, revision, max));
}

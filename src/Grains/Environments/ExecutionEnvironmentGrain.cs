using LambdaCluster.Grains.Invocation;
using LambdaCluster.Grains.Placement;
using LambdaCluster.Grains.Pool;
using LambdaCluster.Runtimes.Invocation;
using Orleans.Placement;

namespace LambdaCluster.Grains.Environments;

/// <inheritdoc cref="IExecutionEnvironmentGrain"/>
[SiloPinnedPlacement, Immovable, GrainType("execution-environment")]
public sealed class ExecutionEnvironmentGrain(LocalEnvironments environments, InvocationDispatcher dispatcher) : Grain, IExecutionEnvironmentGrain
{
    private IFunctionVersionGrain? _pool;

    public Task<InvocationResult> InvokeAsync(EnvironmentLease lease, InvocationRequest request) => RunAsync(lease, request, CancellationToken.None, stream: null);

    public IAsyncEnumerable<ResponseStreamPart> InvokeStreamingAsync(EnvironmentLease lease, InvocationRequest request, CancellationToken cancellationToken = default) =>
        StreamingInvocation.RunAsync((parts, abandoned) => RunAsync(lease, request, abandoned, parts), cancellationToken);

    public async Task<bool> PrepareAsync(EnvironmentLease lease)
    {
        var (environment, _) = await environments.ResolveAsync(lease);
        return environment is not null && await environment.PrepareAsync(CancellationToken.None);
    }

    public async Task<bool> PrewarmAsync(EnvironmentLease lease)
    {
        var (environment, _) = await environments.ResolveAsync(lease);
        return environment is not null && await environment.PrewarmAsync(CancellationToken.None);
    }

    public Task ShutdownAsync(string reason)
    {
        if (environments.TryGet(this.GetPrimaryKeyString(), out var environment))
        {
            environment.Shutdown(reason, graceful: true);
        }

        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Flow: find (or, for a fresh lease, create) this silo's environment → run the invocation there → in a finally, give
    /// the lease back: to this silo's dispatcher when the caller is on this silo (it keeps it for the next call), else to
    /// the pool (one-way, so the caller is not held up). However the invocation ends, the lease comes back.
    /// </summary>
    private async Task<InvocationResult> RunAsync(EnvironmentLease lease, InvocationRequest request, CancellationToken cancellationToken, System.Threading.Channels.ChannelWriter<ResponseStreamPart>? stream)
    {
        var result = InvocationResult.Failed(InvocationOutcome.PlatformFailure, FunctionVersionKey.Version(lease.PoolKey), "The invocation did not complete.", PlatformFailureReason.Unexpected);
        try
        {
            var (environment, failure) = await environments.ResolveToInvokeAsync(lease);
            result = environment is null
                ? InvocationResult.Failed(InvocationOutcome.PlatformFailure, FunctionVersionKey.Version(lease.PoolKey), $"Environment {lease.EnvironmentKey} could not be used ({failure}).", failure)
                : await environment.InvokeAsync(request, cancellationToken, stream);
            return result;
        }
        finally
        {
            if (lease.Keep)
            {
                dispatcher.Keep(lease, result);
            }
            else
            {
                await (_pool ??= GrainFactory.GetGrain<IFunctionVersionGrain>(lease.PoolKey)).ReleaseAsync(lease.ToHeld(), result.EnvironmentReusable || result.FailureReason == PlatformFailureReason.EnvironmentBusy);
            }
        }
    }
}

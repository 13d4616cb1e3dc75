using LambdaCluster.Grains.Placement;
using LambdaCluster.Grains.Pool;
using LambdaCluster.Runtimes.Environments;
using LambdaCluster.Runtimes.Invocation;
using Orleans.Placement;

namespace LambdaCluster.Grains.Environments;

/// <inheritdoc cref="IExecutionEnvironmentGrain"/>
[SiloPinnedPlacement, Immovable, GrainType("execution-environment")]
public sealed class ExecutionEnvironmentGrain(EnvironmentSupervisor supervisor) : Grain, IExecutionEnvironmentGrain
{
    private IFunctionVersionGrain? _pool;

    private string EnvironmentId => EnvironmentKeys.EnvironmentId(this.GetPrimaryKeyString());

    public async Task<InvocationResult> InvokeAsync(EnvironmentLease lease, InvocationRequest request)
    {
        // Flow: find or create this node's environment → run the invocation there → tell the pool whether the
        // environment is still warm (one-way, so the caller is not held up). An environment that is already gone
        // surfaces as EnvironmentUnavailableException so the caller can lease another.
        var pool = _pool ??= GrainFactory.GetGrain<IFunctionVersionGrain>(lease.PoolKey);
        try
        {
            var environment = await supervisor.GetOrCreateAsync(EnvironmentId, lease.Spec, CancellationToken.None);
            var result = await environment.InvokeAsync(request, CancellationToken.None);
            await pool.ReleaseAsync(lease.EnvironmentKey, result.EnvironmentReusable);
            return result;
        }
        catch (EnvironmentUnavailableException)
        {
            await pool.ReleaseAsync(lease.EnvironmentKey, reusable: false);
            throw;
        }
    }

    public async Task<bool> PrepareAsync(EnvironmentLease lease)
    {
        try
        {
            var environment = await supervisor.GetOrCreateAsync(EnvironmentId, lease.Spec, CancellationToken.None);
            return await environment.PrepareAsync(CancellationToken.None);
        }
        catch (EnvironmentUnavailableException)
        {
            return false;
        }
    }

    public Task ShutdownAsync(string reason)
    {
        if (supervisor.TryGet(EnvironmentId, out var environment))
        {
            environment.Shutdown(reason);
        }

        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}

using LambdaCluster.Grains.Pool;
using LambdaCluster.Runtimes.Environments;
using LambdaCluster.Runtimes.Invocation;

namespace LambdaCluster.Grains.Environments;

/// <summary>
/// Finds the environment a lease names among this silo's, creating it when the lease is fresh: the spec (with the
/// function's environment variables) is asked of the version's pool then, and only then, silo to silo. A lease whose
/// environment is no longer here, or whose revision is no longer the pool's, resolves to the platform failure that says so.
/// </summary>
public sealed class LocalEnvironments(EnvironmentSupervisor supervisor, IGrainFactory grains)
{
    /// <summary>Never throws: a pool that cannot be asked (its silo just died) resolves to EnvironmentGone, as nothing was started.</summary>
    public async Task<(ExecutionEnvironment? Environment, PlatformFailureReason Failure)> ResolveAsync(EnvironmentLease lease)
    {
        var id = EnvironmentKeys.EnvironmentId(lease.EnvironmentKey);
        if (supervisor.TryGet(id, out var existing))
        {
            return (existing, PlatformFailureReason.None);
        }

        if (!lease.Fresh)
        {
            return (null, PlatformFailureReason.EnvironmentGone);
        }

        EnvironmentSpec? spec;
        try
        {
            spec = await grains.GetGrain<IFunctionVersionGrain>(lease.PoolKey).GetSpecAsync(lease.Revision);
        }
        catch (Exception e) when (e is SiloUnavailableException or OrleansException or TimeoutException)
        {
            return (null, PlatformFailureReason.EnvironmentGone);
        }

        if (spec is null)
        {
            return (null, PlatformFailureReason.StaleRevision);
        }

        return await supervisor.GetOrCreateAsync(id, spec, CancellationToken.None);
    }

    /// <summary>
    /// <see cref="ResolveAsync"/> for an invocation: when the lease is fresh, the pool is also told when the
    /// environment's INIT ends, so that it may start another (its starts are bounded by what the nodes can INIT at once,
    /// and the lease may not come back to it for a long while: a dispatcher keeps it for its next calls).
    /// </summary>
    public async Task<(ExecutionEnvironment? Environment, PlatformFailureReason Failure)> ResolveToInvokeAsync(EnvironmentLease lease)
    {
        var resolved = await ResolveAsync(lease);
        if (lease.Fresh && resolved.Environment is { } environment)
        {
            var pool = grains.GetGrain<IFunctionVersionGrain>(lease.PoolKey);
            _ = Task.Run(() => ReportInitEndedAsync(environment, pool, lease.EnvironmentKey)); // off a caller's grain activation, which the invocation holds until it ends
        }

        return resolved;
    }

    /// <summary>The one-way word to the pool needs no grain context.</summary>
    private static async Task ReportInitEndedAsync(ExecutionEnvironment environment, IFunctionVersionGrain pool, string environmentKey)
    {
        await environment.InitEnded;
        try
        {
            await pool.InitializedAsync(environmentKey);
        }
        catch (Exception e) when (e is SiloUnavailableException or OrleansException)
        {
            // The pool's silo is gone; its next activation counts no start of this environment.
        }
    }

    /// <summary>The environment this silo runs under <paramref name="environmentKey"/>, if it is here and alive.</summary>
    public bool TryGet(string environmentKey, out ExecutionEnvironment environment) =>
        supervisor.TryGet(EnvironmentKeys.EnvironmentId(environmentKey), out environment);
}

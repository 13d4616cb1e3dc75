using LambdaCluster.Grains.Placement;
using LambdaCluster.Runtimes.Environments;
using LambdaCluster.Runtimes.Invocation;
using Orleans.Placement;

namespace LambdaCluster.Grains.Snapshots;

/// <inheritdoc cref="ISnapshotGrain"/>
[SiloPinnedPlacement, Immovable, GrainType("snapshot")]
public sealed class SnapshotGrain(EnvironmentSupervisor supervisor) : Grain, ISnapshotGrain
{
    public async Task<string?> PrepareAsync(EnvironmentSpec spec)
    {
        var readiness = await supervisor.Snapshots.PrepareAsync(spec, CancellationToken.None);
        DeactivateOnIdle();
        return readiness.ErrorType;
    }

    public Task ForgetAsync(string functionName, string? version)
    {
        supervisor.Snapshots.Forget(functionName, version);
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}

using LambdaCluster.Grains.Environments;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace LambdaCluster.Grains.Placement;

/// <summary>
/// Refuses to place a pinned grain anywhere but its silo: a process cannot follow its grain, so when the
/// silo is gone the call fails (SiloUnavailableException) and the pool replaces the environment.
/// </summary>
public sealed class SiloPinnedPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silo = EnvironmentKeys.Silo(target.GrainIdentity.Key.ToString()!);
        if (Array.IndexOf(context.GetCompatibleSilos(target), silo) < 0)
        {
            throw new SiloUnavailableException($"Silo {silo} of {target.GrainIdentity} is not active.");
        }

        return Task.FromResult(silo);
    }
}

using LambdaCluster.Grains.Invocation;
using LambdaCluster.Grains.Placement;
using LambdaCluster.Grains.Pool;
using LambdaCluster.Runtimes.Environments;
using Orleans.Placement;

namespace LambdaCluster.Grains.Cluster;

/// <inheritdoc cref="INodeAgentGrain"/>
[SiloPinnedPlacement, Immovable, GrainType("node-agent")]
public sealed class NodeAgentGrain(EnvironmentSupervisor supervisor, InvocationDispatcher dispatcher, NodeLoadSampler sampler, ILocalSiloDetails silo) : Grain, INodeAgentGrain
{
    public Task<NodeLoad> GetLoadAsync() => Task.FromResult(sampler.Sample(silo.SiloAddress));

    public Task<IReadOnlyList<NodeEnvironment>> ListEnvironmentsAsync(string poolKey)
    {
        IReadOnlyList<NodeEnvironment> environments = supervisor.Environments
            .Where(e => FunctionVersionKey.Of(e.Spec.FunctionName, e.Spec.Version) == poolKey && e.State is not EnvironmentState.Dead)
            .Select(e => (Key: $"{silo.SiloAddress.ToParsableString()}/{e.Id}", Environment: e))
            .Select(e => new NodeEnvironment(e.Key, e.Environment.Spec.Revision, e.Environment.State is EnvironmentState.Idle && e.Environment.IdleFor > TimeSpan.Zero && !dispatcher.Holds(e.Key), e.Environment.Provisioned))
            .ToList();
        return Task.FromResult(environments);
    }
}

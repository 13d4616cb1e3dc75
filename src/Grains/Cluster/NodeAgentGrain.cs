using LambdaCluster.Grains.Invocation;
using LambdaCluster.Grains.Placement;
using LambdaCluster.Grains.Pool;
using LambdaCluster.Runtimes.Environments;
using LambdaCluster.Runtimes.Telemetry;
using Orleans.Placement;

namespace LambdaCluster.Grains.Cluster;

/// <inheritdoc cref="INodeAgentGrain"/>
[SiloPinnedPlacement, Immovable, GrainType("node-agent")]
public sealed class NodeAgentGrain(EnvironmentSupervisor supervisor, InvocationDispatcher dispatcher, NodeLoadSampler sampler, FunctionMetricsRecorder metrics, ILocalSiloDetails silo) : Grain, INodeAgentGrain
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

    public Task<NodeView> GetViewAsync()
    {
        var environments = supervisor.Environments
            .Where(e => e.State is not EnvironmentState.Dead)
            .Select(e => new NodeEnvironmentView(e.Spec.FunctionName, e.Spec.Version, e.State.ToString(), e.Spec.MemorySize, e.Provisioned))
            .ToList();
        var functions = metrics.Totals().Select(f => new FunctionHour(f.FunctionName, f.Invocations, f.Errors, f.Throttles)).ToList();
        return Task.FromResult(new NodeView(sampler.Sample(silo.SiloAddress), environments, functions));
    }

    public Task<IReadOnlyList<MetricMinute>> GetMetricsAsync(string functionName) => Task.FromResult(metrics.Read(functionName));
}

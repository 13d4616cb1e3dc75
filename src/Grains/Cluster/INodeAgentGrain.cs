namespace LambdaCluster.Grains.Cluster;

/// <summary>
/// One per silo (key: <see cref="NodeAgentKeys"/>), pinned there: what the pools ask a node about itself.
/// </summary>
[Alias("lambda.INodeAgentGrain")]
public interface INodeAgentGrain : IGrainWithStringKey
{
    [Alias("GetLoad")] Task<NodeLoad> GetLoadAsync();

    /// <summary>This node's live environments of one function version's pool.</summary>
    [Alias("ListEnvironments")] Task<IReadOnlyList<NodeEnvironment>> ListEnvironmentsAsync(string poolKey);

    /// <summary>This node's load, environments and last hour per function (the console's cluster page).</summary>
    [Alias("GetView")] Task<NodeView> GetViewAsync();

    /// <summary>One function's last hour on this node, minute by minute, oldest first (the console's Monitor tab).</summary>
    [Alias("GetMetrics")] Task<IReadOnlyList<Runtimes.Telemetry.MetricMinute>> GetMetricsAsync(string functionName);
}

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
}

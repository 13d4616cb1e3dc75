namespace LambdaCluster.Grains.Cluster;

/// <summary>Keys of node agents: <c>{silo address}/node</c>, the form the silo-pinned placement reads.</summary>
public static class NodeAgentKeys
{
    public static string For(SiloAddress silo) => $"{silo.ToParsableString()}/node";
}

namespace LambdaCluster.Silo.Hosting;

/// <summary>What this process does in the cluster (<c>Node:Role</c>).</summary>
public enum NodeRole
{
    /// <summary>A silo that runs environments and serves the APIs (the default; the embedded node is one).</summary>
    Full,

    /// <summary>A silo that runs environments only; its HTTP listener serves /metrics.</summary>
    Compute,

    /// <summary>The APIs only, joined to the cluster as an Orleans client (needs cluster mode).</summary>
    Gateway,
}

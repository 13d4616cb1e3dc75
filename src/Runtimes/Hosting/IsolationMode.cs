namespace LambdaCluster.Runtimes.Hosting;

/// <summary>How environments are confined (<c>Environments:Isolation</c>).</summary>
public enum IsolationMode
{
    /// <summary>
    /// Every environment in its own sandbox (bubblewrap namespaces, a user of its own, control-group limits): the default.
    /// A host that cannot provide one runs no functions.
    /// </summary>
    Sandbox,

    /// <summary>
    /// Plain child processes of the node, as its own user: a function can read other functions' code, environment and
    /// events and the node's data directory, and nothing bounds its memory, processes or /tmp. For a trusted single user only.
    /// </summary>
    None,
}

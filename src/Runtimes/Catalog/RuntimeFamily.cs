namespace LambdaCluster.Runtimes.Catalog;

/// <summary>How a runtime identifier is served on a node.</summary>
public enum RuntimeFamily
{
    NodeJs,
    Python,
    /// <summary>OS-only runtime: the package's own <c>bootstrap</c> executable is the runtime.</summary>
    Provided,
}

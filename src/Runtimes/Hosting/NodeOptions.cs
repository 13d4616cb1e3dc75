namespace LambdaCluster.Runtimes.Hosting;

/// <summary>Identity and storage of this node (section <c>Node</c> of the configuration).</summary>
public sealed class NodeOptions
{
    public const string Section = "Node";

    /// <summary>Where functions, code and logs live in the embedded default. Relative paths are under the working directory.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>The region in ARNs and the one SigV4 credential scopes must name.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>The account id in ARNs (12 digits).</summary>
    public string AccountId { get; set; } = "000000000000";
}

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

    /// <summary>
    /// Handle invocations on the threads that read the sockets (Kestrel's inline scheduling for the gateway and the
    /// Runtime API, and the runtime's inline socket completions), instead of handing every read to the thread pool.
    /// A warm invocation crosses three HTTP exchanges, and on a small VM each hand-off to another thread (a context
    /// switch) cost more than the work itself: inline, the silo's CPU per invocation fell by about half (see
    /// docs/benchmarks.md). Requests other than invocations, and large bodies, still continue on the thread pool.
    /// Default true; false restores the thread pool for everything.
    /// </summary>
    public bool InlineIo { get; set; } = true;
}

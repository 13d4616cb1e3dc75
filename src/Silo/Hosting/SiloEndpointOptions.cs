namespace LambdaCluster.Silo.Hosting;

/// <summary>The Orleans side of this node (section <c>Silo</c>).</summary>
public sealed class SiloEndpointOptions
{
    public const string Section = "Silo";

    /// <summary>Silo-to-silo port (loopback in the embedded default).</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port Orleans clients (a separate gateway process) connect to.</summary>
    public int GatewayPort { get; set; } = 30000;
}

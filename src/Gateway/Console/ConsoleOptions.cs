namespace LambdaCluster.Gateway.Console;

/// <summary>The web console (section <c>Console</c>).</summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>
    /// Serve the console at <c>/console/</c> (and redirect an unsigned <c>GET /</c> there). Its files are static and
    /// public (the sign-in page); every call it makes is SigV4-signed with the keys the user signs in with.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The folder of the built bundle; by default <c>console/</c> beside the node's binaries.</summary>
    public string? Directory { get; set; }
}

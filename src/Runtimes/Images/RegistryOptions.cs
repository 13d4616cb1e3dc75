namespace LambdaCluster.Runtimes.Images;

/// <summary>One registry's settings: its host (<c>host[:port]</c>), credentials (basic, or for its token service), and whether it speaks plain HTTP.</summary>
public sealed class RegistryOptions
{
    public string Host { get; set; } = "";

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Plain HTTP instead of HTTPS (a loopback host always may).</summary>
    public bool PlainHttp { get; set; }
}

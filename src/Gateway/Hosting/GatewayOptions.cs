namespace LambdaCluster.Gateway.Hosting;

/// <summary>Where the API listens (section <c>Gateway</c>).</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>The Lambda, Logs and function-URL endpoint. Loopback unless configured otherwise.</summary>
    public string Url { get; set; } = "http://127.0.0.1:9000";
}

namespace LambdaCluster.Gateway.Hosting;

/// <summary>Where the API listens (section <c>Gateway</c>).</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>The Lambda, Logs and function-URL endpoint. Loopback unless configured otherwise.</summary>
    public string Url { get; set; } = "http://127.0.0.1:9000";

    /// <summary>
    /// The domain function URLs are named under: <c>http://{url-id}.{UrlDomain}:{port}/</c> (as Lambda's
    /// <c>{url-id}.lambda-url.{region}.on.aws</c>). The default lives under .localhost, which resolves to
    /// loopback; the path form <c>{Url}/_lambda/url/{url-id}/</c> needs no DNS at all.
    /// </summary>
    public string UrlDomain { get; set; } = "lambda-url.us-east-1.localhost";
}

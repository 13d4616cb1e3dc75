using LambdaCluster.Gateway.Auth;
using LambdaCluster.Gateway.Hosting;
using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Silo.Hosting;
using Microsoft.Extensions.Options;

// One node. Flow: read the role and mode → storage (files, or Redis in cluster mode) → a silo with the
// runtime services (Full, Compute) or an Orleans client (Gateway) → the Lambda and Logs APIs (Full, Gateway)
// → /metrics everywhere.
// Settings are read once, at start: reloading them on change has the host watch the working directory (where the
// data directory lives by default) with inotify, waking a thread for every log line a function writes. Only this
// environment variable reaches every watcher the host sets up (a command-line setting leaves the working directory's).
Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
var configuration = builder.Configuration;
var dataDirectory = Path.GetFullPath(configuration["Node:DataDirectory"] ?? "data");
configuration["Node:DataDirectory"] = dataDirectory;
var role = configuration.GetValue("Node:Role", NodeRole.Full);
var clusterMode = !string.IsNullOrWhiteSpace(configuration[$"{ClusterModeOptions.Section}:Redis"]);
if (role == NodeRole.Gateway && !clusterMode)
{
    Console.Error.WriteLine("Node:Role Gateway joins a cluster: set Cluster:Redis as well.");
    return 2;
}

builder.WebHost.UseUrls(configuration["Gateway:Url"] ?? "http://127.0.0.1:9000");
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null); // the gateway enforces Lambda's limits
if (configuration.GetValue($"{NodeOptions.Section}:{nameof(NodeOptions.InlineIo)}", true))
{
    // Read once, when the first socket is made: this is before any.
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
    builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
}

builder.Services.AddLambdaStorage(configuration);
if (role == NodeRole.Gateway)
{
    builder.UseOrleansClient(client => client.UseClusterClient(configuration));
    builder.Services.AddLambdaClient();
}
else
{
    builder.UseOrleans(silo => _ = clusterMode ? silo.UseClusterNode(configuration) : silo.UseEmbeddedNode(configuration));
    builder.Services.AddLambdaRuntimes(configuration);
    builder.Services.PostConfigure<EnvironmentOptions>(environments => SandboxPorts.Apply(environments, configuration, role));
}

if (role != NodeRole.Compute)
{
    builder.Services.AddLambdaGateway(configuration);
}

builder.Services.AddLambdaTelemetry(configuration, $"{Environment.MachineName}:{configuration["Silo:SiloPort"] ?? configuration["Gateway:Url"]}");

var app = builder.Build();
app.MapPrometheusScrapingEndpoint();
if (role != NodeRole.Compute)
{
    app.MapLambdaGateway();
}

await app.StartAsync();

var gateway = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
var node = app.Services.GetRequiredService<IOptions<NodeOptions>>().Value;
var mode = clusterMode ? $"{role} node of cluster '{configuration["Cluster:ClusterId"] ?? "lambda"}' on Redis" : "embedded node";
if (role == NodeRole.Compute)
{
    Console.WriteLine($"Compute node listening on {string.Join(", ", app.Urls)} for /metrics ({mode})");
}
else
{
    Console.WriteLine($"Lambda API listening on {string.Join(", ", app.Urls)} ({mode}, region {node.Region}, account {node.AccountId})");
    var keys = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.Credentials;
    Console.WriteLine($"Accepting SigV4 access keys: {string.Join(", ", keys.Select(k => k.AccessKeyId))}");
    Console.WriteLine($"Try: AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws --region {node.Region} --endpoint-url {gateway.Url} lambda list-functions");
    if (app.Services.GetRequiredService<IOptions<LambdaCluster.Gateway.Console.ConsoleOptions>>().Value.Enabled)
    {
        Console.WriteLine($"Web console: {gateway.Url.TrimEnd('/')}/console/ (sign in with an accepted key pair)");
    }
}

if (!clusterMode)
{
    Console.WriteLine($"Data directory: {dataDirectory}");
}

await app.WaitForShutdownAsync();
return 0;

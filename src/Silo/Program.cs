using LambdaCluster.Gateway.Auth;
using LambdaCluster.Gateway.Hosting;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.Extensions.Options;

// One node: an Orleans silo, the silo-local runtime services and the gateway endpoints in one process.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
var dataDirectory = Path.GetFullPath(builder.Configuration["Node:DataDirectory"] ?? "data");
builder.Configuration["Node:DataDirectory"] = dataDirectory;
builder.WebHost.UseUrls(builder.Configuration["Gateway:Url"] ?? "http://127.0.0.1:9000");
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null); // the gateway enforces Lambda's limits
builder.UseOrleans(silo => silo.UseEmbeddedNode(builder.Configuration));
builder.Services.AddLambdaRuntimes(builder.Configuration);
builder.Services.AddLambdaGateway(builder.Configuration);

var app = builder.Build();
app.MapLambdaGateway();
await app.StartAsync();

var gateway = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
var keys = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.Credentials;
var node = app.Services.GetRequiredService<IOptions<NodeOptions>>().Value;
Console.WriteLine($"Lambda API listening on {string.Join(", ", app.Urls)} (region {node.Region}, account {node.AccountId})");
Console.WriteLine($"Accepting SigV4 access keys: {string.Join(", ", keys.Select(k => k.AccessKeyId))}");
Console.WriteLine($"Data directory: {dataDirectory}");
Console.WriteLine($"Try: AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws --region {node.Region} --endpoint-url {gateway.Url} lambda list-functions");
await app.WaitForShutdownAsync();

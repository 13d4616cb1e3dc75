using System.Net;
using LambdaCluster.Runtimes.Environments;
using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Runtimes.Sandbox;
using LambdaCluster.Runtimes.Vpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Runtimes.RuntimeApi;

/// <summary>
/// The Lambda Runtime API (2018-06-01) of this node. Runtime clients build their URLs from
/// AWS_LAMBDA_RUNTIME_API (host:port, no path), so environments cannot be told apart by path: each
/// environment gets its own loopback port from a block bound once at start, and the local port a
/// request arrives on names the environment. A request on one environment's port can only ever see
/// that environment's events. Environments in a VPC (their own network namespaces) reach the same ports on the node's
/// address on each subnet, served by a second server that exists only when the node has subnets.
/// </summary>
public sealed partial class RuntimeApiServer(EnvironmentSupervisor supervisor, NetworkGuard network, VpcNetworks networks, IOptions<EnvironmentOptions> options, IOptions<NodeOptions> node, ILogger<RuntimeApiServer> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;
    private WebApplication? _subnetApp;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Flow: bind the loopback block → install the node's network rules for those ports → make the subnets ready and
        // serve the same ports on the node's subnet addresses → hand the ports to the supervisor.
        var app = await StartServerAsync(kestrel =>
        {
            for (var i = 0; i < options.Value.RuntimeApiSlots; i++)
            {
                kestrel.Listen(IPAddress.Loopback, 0);
            }
        }, cancellationToken);
        _app = app;
        var ports = app.Urls.Select(url => new Uri(url).Port).ToList();
        network.Protect(ports); // before any environment can start on them
        if (networks.Prepare() is { Count: > 0 } subnetAddresses)
        {
            _subnetApp = await StartServerAsync(kestrel =>
            {
                foreach (var address in subnetAddresses)
                {
                    foreach (var port in ports)
                    {
                        kestrel.Listen(address, port);
                    }
                }
            }, cancellationToken);
        }

        supervisor.AddSlots(ports);
        LogStarted(logger, ports.Count, ports.Min(), ports.Max());
    }

    private async Task<WebApplication> StartServerAsync(Action<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions> listen, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (node.Value.InlineIo)
        {
            // The handlers only hand an event over or take an answer (the invocation's caller then gets its answer on
            // this thread too): nothing here blocks, so they run where the socket was read (NodeOptions.InlineIo).
            builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null; // the handlers enforce Lambda's own limits
            kestrel.AddServerHeader = false;
            listen(kestrel);
        });
        var app = builder.Build();
        RuntimeApiRoutes.Map(app, supervisor);
        ExtensionsApiRoutes.Map(app, supervisor);
        TelemetryApiRoutes.Map(app, supervisor);
        await app.StartAsync(cancellationToken);
        return app;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // A runtime's parked GET /next never ends by itself, so a graceful drain would last the host's whole shutdown
        // timeout (30 s, after which Orleans stops non-gracefully too): the connections are closed at once. The
        // environments go next, when the supervisor (started before this server) stops.
        using var now = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await now.CancelAsync();
        foreach (var app in new[] { _subnetApp, _app }.OfType<WebApplication>())
        {
            await app.StopAsync(now.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in new[] { _subnetApp, _app }.OfType<WebApplication>())
        {
            await app.DisposeAsync();
        }
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Debug, Message = "Runtime API listening on {Count} loopback ports ({Lowest}..{Highest})")]
    private static partial void LogStarted(ILogger logger, int count, int lowest, int highest);
}

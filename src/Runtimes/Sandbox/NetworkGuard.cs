using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Runtimes.Sandbox;

/// <summary>
/// Keeps sandboxed environments off the node's own ports, with one nftables table per node (https://wiki.nftables.org)
/// that matches the environments by the host user each runs as (<see cref="SandboxLauncher.UserFor"/>). An environment may
/// reach the outside world; on this machine's own addresses, only its own Runtime API port, the ports in
/// <see cref="EnvironmentOptions.ReachableLocalPorts"/> (the Lambda API) and DNS, and answer connections made to its own
/// sandbox.localdomain address (<see cref="TelemetryApi.SandboxAddress"/>), never another environment's; no link-local address (a cloud's
/// metadata service); on any address, none of <see cref="EnvironmentOptions.BlockedPorts"/> (other nodes' Orleans and
/// Redis ports). Every other packet is dropped. The table goes when the node stops, after its environments (a hosted
/// service registered before the supervisor, so stopped after it).
/// The rules are static (every user/port pair is known once the Runtime API has bound its ports), so they cost nothing per
/// cold start, and the kernel's set lookups nothing measurable per packet.
/// </summary>
public sealed partial class NetworkGuard(IOptions<EnvironmentOptions> options, SandboxHost host, ILogger<NetworkGuard> logger) : IHostedService
{
    /// <summary>The nftables command.</summary>
    public const string NftExecutable = "/usr/sbin/nft";

    private const string TablePrefix = "lambda_node_";
    private string? _table;

    /// <summary>Why the rules could not be installed, or null. A sandbox without them does not start.</summary>
    public string? Failure { get; private set; }

    /// <summary>
    /// Installs the rules for the environments on <paramref name="runtimeApiPorts"/> (before any starts), first removing
    /// the tables of nodes that are no longer running. Does nothing without the sandbox.
    /// </summary>
    public void Protect(IReadOnlyCollection<int> runtimeApiPorts)
    {
        if (options.Value.Isolation == IsolationMode.None || host.Unavailable is not null)
        {
            return;
        }

        _table = string.Create(CultureInfo.InvariantCulture, $"{TablePrefix}{Environment.ProcessId}_{runtimeApiPorts.Min()}");
        try
        {
            RemoveTablesOfStoppedNodes();
            Run($"-f -", Ruleset(_table, runtimeApiPorts, options.Value));
            LogProtected(logger, runtimeApiPorts.Count, _table);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
        {
            Failure = $"the network rules could not be installed: {e.Message}";
            LogFailed(logger, e.Message);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask; // the Runtime API server calls Protect

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Release();
        return Task.CompletedTask;
    }

    /// <summary>Removes this node's table (at shutdown, once its environments are gone).</summary>
    public void Release()
    {
        if (_table is null || Failure is not null)
        {
            return;
        }

        try
        {
            Run($"delete table inet {_table}", null);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
        {
            LogFailed(logger, e.Message);
        }
    }

    /// <summary>
    /// Lets the environments forked from a SnapStart template (they run as the template's user) reach
    /// <paramref name="forkPort"/>, the Runtime API of the environment being forked; <see cref="Revoke"/> takes it back
    /// before the port serves another environment. Throws InvalidOperationException when nft refuses.
    /// </summary>
    public void Allow(int templatePort, int forkPort)
    {
        if (_table is not null && Failure is null && RunInProcess($"add element inet {_table} runtime_apis {{ {Pair(templatePort, forkPort)} }}") is { } error)
        {
            throw new InvalidOperationException($"nft: {error}");
        }
    }

    /// <summary>Takes back what <see cref="Allow"/> gave (missing elements are ignored).</summary>
    public void Revoke(int templatePort, int forkPort)
    {
        if (_table is null || Failure is not null)
        {
            return;
        }

        if (RunInProcess($"delete element inet {_table} runtime_apis {{ {Pair(templatePort, forkPort)} }}") is { } error)
        {
            LogRevokeFailed(logger, templatePort, forkPort, error);
        }
    }

    /// <summary>Through libnftables when the host has it (a fraction of a millisecond), else the nft command (~20 ms).</summary>
    internal static string? RunInProcess(string command)
    {
        try
        {
            return LibNftables.Run(command);
        }
        catch (DllNotFoundException)
        {
            try
            {
                Run(command, null);
                return null;
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
            {
                return e.Message;
            }
        }
    }

    private string Pair(int templatePort, int forkPort) =>
        string.Create(CultureInfo.InvariantCulture, $"{options.Value.SandboxUserIdBase + templatePort} . {forkPort}");

    /// <summary>
    /// The nftables ruleset text for one node. Only packets of a socket owned by one of its environments' users jump to
    /// the environment chain: a packet the kernel sends without a full socket (a SYN-ACK answered by syncookie, a RST,
    /// a TIME_WAIT's ACK) has no owner, fails the match and is accepted, never caught by a drop meant for functions.
    /// </summary>
    internal static string Ruleset(string table, IReadOnlyCollection<int> runtimeApiPorts, EnvironmentOptions settings)
    {
        var users = string.Join(", ", runtimeApiPorts.Select(p => (settings.SandboxUserIdBase + p).ToString(CultureInfo.InvariantCulture)));
        var pairs = string.Join(", ", runtimeApiPorts.Select(p => string.Create(CultureInfo.InvariantCulture, $"{settings.SandboxUserIdBase + p} . {p}")));
        var addresses = string.Join(", ", runtimeApiPorts.Select(p => string.Create(CultureInfo.InvariantCulture, $"{settings.SandboxUserIdBase + p} . {TelemetryApi.SandboxAddress.For(p)}")));
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $$"""
            table inet {{table}} {
              set environments { type uid; elements = { {{users}} } }
              set runtime_apis { type uid . inet_service; elements = { {{pairs}} } }
              set sandbox_addresses { type uid . ipv4_addr; elements = { {{addresses}} } }
              chain output {
                type filter hook output priority filter; policy accept;
                meta skuid @environments jump environment
              }
              chain environment {
                ip daddr 127.1.0.0/16 meta skuid . ip daddr != @sandbox_addresses drop
                meta l4proto tcp meta skuid . tcp dport @runtime_apis accept

            """);
        if (settings.ReachableLocalPorts.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"    fib daddr type local tcp dport {{ {string.Join(", ", settings.ReachableLocalPorts)} }} accept\n");
        }

        text.Append("    fib daddr type local meta l4proto { tcp, udp } th dport 53 accept\n");
        // The answers of an environment's own listeners on its sandbox.localdomain address (its Telemetry API subscriber,
        // which the node connects to): never a connection's opening SYN, so it cannot reach a local port this way.
        text.Append("    meta l4proto tcp meta skuid . ip saddr @sandbox_addresses tcp flags & (syn | ack) != syn accept\n");
        text.Append("    fib daddr type local drop\n");
        // Link-local: a cloud's instance metadata service (169.254.169.254, fd00:ec2::254) hands out the machine's own credentials.
        text.Append("    ip daddr 169.254.0.0/16 drop\n");
        text.Append("    ip6 daddr { fe80::/10, fd00:ec2::254 } drop\n");
        if (settings.BlockedPorts.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"    tcp dport {{ {string.Join(", ", settings.BlockedPorts)} }} drop\n");
        }

        text.Append("  }\n}\n");
        return text.ToString();
    }

    private void RemoveTablesOfStoppedNodes()
    {
        foreach (Match table in TableName().Matches(Run("list tables", null)))
        {
            if (!Directory.Exists($"/proc/{table.Groups["pid"].Value}"))
            {
                try
                {
                    Run($"delete table inet {table.Value}", null);
                }
                catch (InvalidOperationException)
                {
                    // Another node starting beside this one removed it first.
                }
            }
        }
    }

    private static string Run(string arguments, string? input) => HostCommand.Run(NftExecutable, arguments.Split(' '), input);

    [GeneratedRegex(@"(?<=table inet )lambda_node_(?<pid>\d+)_\d+")]
    private static partial Regex TableName();

    [LoggerMessage(EventId = 2311, Level = LogLevel.Debug, Message = "Network rules for {Count} environments installed (nftables table inet {Table})")]
    private static partial void LogProtected(ILogger logger, int count, string table);

    [LoggerMessage(EventId = 2313, Level = LogLevel.Warning, Message = "Sandbox network rule of the template on port {TemplatePort} for port {ForkPort} could not be removed: {Problem}")]
    private static partial void LogRevokeFailed(ILogger logger, int templatePort, int forkPort, string problem);

    [LoggerMessage(EventId = 2312, Level = LogLevel.Error, Message = "Sandbox network rules: {Problem}; functions will not run")]
    private static partial void LogFailed(ILogger logger, string problem);
}

using System.Net;
using System.Net.Sockets;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// deploy/local-cluster.sh on free loopback ports and its own run directory: Redis, three silos and a
/// gateway-only process. Stopped through the script, which stops exactly the PIDs it recorded.
/// </summary>
public sealed class LocalClusterScript : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;

    private LocalClusterScript(Dictionary<string, string> environment, int basePort)
    {
        _environment = environment;
        BasePort = basePort;
    }

    public int BasePort { get; }

    public string RunDirectory => _environment["RUN_DIR"];

    /// <summary>The gateway-only process.</summary>
    public string Gateway => $"http://127.0.0.1:{BasePort}";

    /// <summary>Silo <paramref name="n"/> (1-3), which serves the API as well.</summary>
    public string Silo(int n) => $"http://127.0.0.1:{BasePort + n}";

    public static LocalClusterScript Create(string runDirectory, string configuration)
    {
        var random = new Random();
        for (var attempt = 0; attempt < 20; attempt++)
        {
            // Below the kernel's ephemeral range (32768 and up), where the nodes' own port-0 listeners land:
            // a fixed port from that range can be taken between one start and the next.
            var (api, silo, gateway, redis) = (random.Next(16000, 20000), random.Next(20000, 24000), random.Next(24000, 28000), random.Next(28000, 32000));
            int[] ports = [api, api + 1, api + 2, api + 3, silo + 1, silo + 2, silo + 3, gateway + 1, gateway + 2, gateway + 3, redis];
            if (ports.All(IsFree))
            {
                return new LocalClusterScript(new Dictionary<string, string>
                {
                    ["BASE_PORT"] = $"{api}",
                    ["SILO_PORT_BASE"] = $"{silo}",
                    ["GATEWAY_PORT_BASE"] = $"{gateway}",
                    ["REDIS_PORT"] = $"{redis}",
                    ["RUN_DIR"] = runDirectory,
                    ["CONFIGURATION"] = configuration,
                }, api);
            }
        }

        throw new InvalidOperationException("Found no free block of loopback ports for the local cluster.");
    }

    public Task<ProcessResult> RunAsync(params string[] arguments) =>
        Tools.RunAsync(Tools.RepositoryFile("deploy", "local-cluster.sh"), arguments, _environment);

    /// <summary>Stops the cluster; its processes' logs (since their last start) go to TestResults/nodes, where test.sh reads them.</summary>
    public async ValueTask DisposeAsync()
    {
        await RunAsync("stop");
        foreach (var log in Directory.Exists(RunDirectory) ? Directory.GetFiles(RunDirectory, "*.log") : [])
        {
            Tools.KeepNodeLog($"local-cluster-{BasePort}-{Path.GetFileName(log)}", () => File.ReadAllText(log));
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

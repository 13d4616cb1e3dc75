using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using LambdaCluster.Runtimes.Sandbox;
using LambdaCluster.Runtimes.Vpc;
using LambdaCluster.Tests.Support;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>A real node (src/Silo) on free loopback ports with its own data directory, stopped by PID.</summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private NodeProcess(Process process, string endpoint, string dataDirectory)
    {
        _process = process;
        Endpoint = endpoint;
        DataDirectory = dataDirectory;
    }

    public string Endpoint { get; }

    public string DataDirectory { get; }

    /// <summary>Every setting the node was started with (its ports among them), as --Key=value arguments.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; private init; } = new Dictionary<string, string>();

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts a node; a free port can be taken by another process between choosing and binding it
    /// (other nodes bind ephemeral Runtime API ports), so a start that loses that race is retried on new ports.
    /// </summary>
    public static async Task<NodeProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string>? settings = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(dataDirectory, settings);
            }
            catch (InvalidOperationException e) when (attempt < 5 && e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
            }
        }
    }

    private static async Task<NodeProcess> StartOnceAsync(string dataDirectory, IReadOnlyDictionary<string, string>? settings)
    {
        var endpoint = $"http://127.0.0.1:{FreePorts.Next()}";
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(SiloAssembly());
        var all = new Dictionary<string, string>
        {
            ["Node:DataDirectory"] = dataDirectory,
            ["Gateway:Url"] = endpoint,
            ["Silo:SiloPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Silo:GatewayPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Environments:RuntimeApiSlots"] = "48",
            // Pre-started runtimes stay on (every test's cold starts use them); one per key keeps the background starts few on 2 cores.
            ["Environments:PrestartPerKey"] = "1",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        foreach (var (key, value) in all)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        var process = Process.Start(start)!;
        var node = new NodeProcess(process, endpoint, dataDirectory) { Settings = all };
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => node.Record(e.Data, ready);
        process.ErrorDataReceived += (_, e) => node.Record(e.Data, ready);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(ready.Task, exited, Task.Delay(TimeSpan.FromSeconds(60)));
        if (first != ready.Task)
        {
            await node.DisposeAsync();
            throw new InvalidOperationException($"The node exited, or did not report that it listens within 60 s. Output:\n{node.Output}");
        }

        return node;
    }

    public async ValueTask DisposeAsync()
    {
        var pid = _process.Id;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        RemoveLeftoversOf(pid);
        Tools.KeepNodeLog($"{pid}.log", () => Output);
    }

    /// <summary>
    /// Removes what a killed node leaves on the host: its nftables tables (its sandbox's, its subnets') and its
    /// environments' network namespaces. The next node to start removes them too, but the suite's last node has no next
    /// one, and its rules would go on filtering the machine's packets. Best effort: never fails the test.
    /// </summary>
    private static void RemoveLeftoversOf(int pid)
    {
        if (!File.Exists(NetworkGuard.NftExecutable) || !Environment.IsPrivilegedProcess)
        {
            return;
        }

        try
        {
            foreach (Match table in Regex.Matches(HostCommand.Run(NetworkGuard.NftExecutable, ["list", "tables"]), $@"(?<=table inet )lambda_(node|vpc)_{pid}(_\d+)?\b"))
            {
                HostCommand.Run(NetworkGuard.NftExecutable, ["delete", "table", "inet", table.Value]);
            }

            foreach (var ns in Directory.Exists("/run/netns") ? Directory.GetFiles("/run/netns", $"lambda-{pid}-*") : [])
            {
                HostCommand.Run(VpcNetworks.IpExecutable, ["netns", "delete", Path.GetFileName(ns)]);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
        {
            // A node starting beside this one removed it first, or the host's tools refused: the next node will.
        }
    }

    private void Record(string? line, TaskCompletionSource ready)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.StartsWith("Lambda API listening on", StringComparison.Ordinal) || line.StartsWith("Compute node listening on", StringComparison.Ordinal))
        {
            ready.TrySetResult();
        }
    }

    internal static string SiloAssembly()
    {
        // The test assembly lives in tests/LambdaCluster.Tests/bin/<Configuration>/net10.0.
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = testOutput.Parent!.Name;
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Cluster.sln")))
        {
            root = root.Parent;
        }

        return Path.Combine(root!.FullName, "src", "Silo", "bin", configuration, "net10.0", "LambdaCluster.Silo.dll");
    }
}

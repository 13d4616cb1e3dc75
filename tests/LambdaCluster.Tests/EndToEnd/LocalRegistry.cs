using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// Debian's docker-registry (the CNCF distribution registry) on a free loopback port, storing in a folder of the test's
/// own, deletes enabled. Started by the test, stopped (by its pid) when disposed.
/// </summary>
public sealed class LocalRegistry : IAsyncDisposable
{
    public const string Executable = "/usr/bin/docker-registry";

    private readonly Process _process;

    private LocalRegistry(Process process, int port, string storage)
    {
        _process = process;
        Host = $"127.0.0.1:{port}";
        Storage = storage;
    }

    /// <summary><c>127.0.0.1:port</c>, as an image URI names the registry.</summary>
    public string Host { get; }

    /// <summary>The registry's storage folder (docker/registry/v2/...).</summary>
    public string Storage { get; }

    public static async Task<LocalRegistry> StartAsync(string workDirectory)
    {
        var folder = Directory.CreateDirectory(Path.Combine(workDirectory, $"registry-{Guid.NewGuid():N}")).FullName;
        var storage = Directory.CreateDirectory(Path.Combine(folder, "storage")).FullName;
        var port = FreePort();
        var config = Path.Combine(folder, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: error
            storage:
              filesystem:
                rootdirectory: {storage}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
            """);
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        var process = Process.Start(start) ?? throw new InvalidOperationException("docker-registry did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var registry = new LocalRegistry(process, port, storage);
        using var http = new HttpClient();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var response = await http.GetAsync($"http://{registry.Host}/v2/");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return registry;
                }
            }
            catch (HttpRequestException) when (attempt < 100)
            {
            }

            if (attempt >= 100 || process.HasExited)
            {
                await registry.DisposeAsync();
                throw new InvalidOperationException("docker-registry did not answer");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Removes a blob's data from the registry's storage behind its back, as a deleted layer looks to a puller.</summary>
    public void LoseBlob(string digest)
    {
        var hex = digest["sha256:".Length..];
        File.Delete(Path.Combine(Storage, "docker", "registry", "v2", "blobs", "sha256", hex[..2], hex, "data"));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace LambdaCluster.Tests.Support;

/// <summary>
/// A private redis-server for one fixture: a free loopback port, no persistence, stopped by PID.
/// <c>.ci/run</c> installs redis-server when the machine lacks it.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly Process _process;

    private RedisServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePorts.Next();
            var start = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no" })
            {
                start.ArgumentList.Add(argument);
            }

            var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start; install it (apt-get install -y redis-server).");
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            var server = new RedisServer(process, port);
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(10) && !process.HasExited)
            {
                try
                {
                    await using var connection = await ConnectionMultiplexer.ConnectAsync($"{server.ConnectionString},connectTimeout=500");
                    await connection.GetDatabase().PingAsync();
                    return server;
                }
                catch (RedisConnectionException)
                {
                    await Task.Delay(50);
                }
            }

            await server.DisposeAsync();
            if (attempt >= 3)
            {
                throw new InvalidOperationException($"redis-server on port {port} did not answer PING within 10 s.");
            }
        }
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
}

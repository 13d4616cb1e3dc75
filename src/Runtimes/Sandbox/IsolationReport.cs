using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Runtimes.Launch;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Runtimes.Sandbox;

/// <summary>
/// Says at start, in one line, how this node confines functions, or that it cannot and so runs none (and, when the kernel
/// refuses it, that environments run without SCHED_BATCH); and clears the passwd/group folders a killed node left under
/// <c>{DataDirectory}/sandboxes</c> (no environment of this node exists yet).
/// </summary>
public sealed partial class IsolationReport(IOptions<EnvironmentOptions> options, IOptions<NodeOptions> node, SandboxHost host, ILogger<IsolationReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Isolation == IsolationMode.None)
        {
            LogUnconfined(logger);
        }
        else if (host.Unavailable is { } reason)
        {
            LogCannotSandbox(logger, reason);
        }
        else
        {
            LogSandboxed(logger, host.Description);
            var leftovers = Path.Combine(node.Value.DataDirectory, "sandboxes");
            if (Directory.Exists(leftovers))
            {
                Directory.Delete(leftovers, recursive: true);
            }
        }

        if (options.Value.BatchScheduling && SpawnThread.BatchSchedulingRefusal() is { } errno)
        {
            LogBatchSchedulingRefused(logger, errno);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 2301, Level = LogLevel.Information, Message = "Functions run sandboxed: {Sandbox}")]
    private static partial void LogSandboxed(ILogger logger, string sandbox);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Error, Message = "This node cannot sandbox functions ({Reason}), so it runs none; set Environments:Isolation=None to run them unconfined (see README)")]
    private static partial void LogCannotSandbox(ILogger logger, string reason);

    [LoggerMessage(EventId = 2304, Level = LogLevel.Warning, Message = "Environments:BatchScheduling is on but this node may not use SCHED_BATCH (sched_setscheduler: errno {Errno}): environments run under SCHED_OTHER")]
    private static partial void LogBatchSchedulingRefused(ILogger logger, int errno);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Warning, Message = "Environments:Isolation=None: functions run unconfined, as the node's user, and can read each other's code, environment and events and the node's data")]
    private static partial void LogUnconfined(ILogger logger);
}

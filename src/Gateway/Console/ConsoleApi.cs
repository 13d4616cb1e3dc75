using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using LambdaCluster.Gateway.Console.Model;
using LambdaCluster.Gateway.Lambda;
using LambdaCluster.Grains.Cluster;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Runtimes.Catalog;
using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Runtimes.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace LambdaCluster.Gateway.Console;

/// <summary>
/// The two views the console needs that no AWS API gives here (CloudWatch metrics and a cluster view), under
/// <c>/console-api</c>, SigV4-signed for service <c>lambda</c> like every other call (a function's own credentials are
/// refused by <see cref="Auth.FunctionSessionPolicy"/>). Both ask every active silo's node agent and merge the answers,
/// so any node shows the whole cluster.
/// </summary>
public sealed partial class ConsoleApi(IGrainFactory grains, IOptions<ClusterModeOptions> cluster, IOptions<NodeOptions> node, TimeProvider time)
{
    public const string PathPrefix = "/console-api";

    /// <summary>GET /console-api/node: <see cref="NodeDto"/> (what Create function offers; runtimes in the catalog's order, oldest first per language).</summary>
    public Task GetNodeAsync(HttpContext http) =>
        WriteAsync(http, new NodeDto(node.Value.AccountId, node.Value.Region, [.. RuntimeCatalog.All.Select(r => r.Identifier)]), ConsoleJsonContext.Default.NodeDto);

    /// <summary>GET /console-api/cluster: <see cref="ClusterDto"/>.</summary>
    public async Task GetClusterAsync(HttpContext http)
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        var silos = await Task.WhenAll(hosts.OrderBy(h => h.Key.ToParsableString(), StringComparer.Ordinal).Select(h => SiloAsync(h.Key, h.Value)));
        await WriteAsync(http, new ClusterDto(cluster.Value.ClusterId, silos), ConsoleJsonContext.Default.ClusterDto);
    }

    /// <summary>
    /// GET /console-api/functions/{name}/metrics: the last hour, minute by minute, summed over silos: Invocations, Errors,
    /// Throttles, ConcurrentExecutions (the sum of each node's most in that minute), Duration p50/p99/maximum.
    /// </summary>
    public async Task GetMetricsAsync(HttpContext http, string functionName)
    {
        if (!FunctionName().IsMatch(functionName))
        {
            throw new LambdaServiceException(LambdaErrorType.ValidationException,
                $"1 validation error detected: Value '{functionName}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_]{{1,64}}");
        }

        // Flow: every silo's minutes → merged by minute (histograms added) → one point per minute of the last hour.
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        var answers = await Task.WhenAll(hosts.Keys.Select(async silo =>
        {
            try
            {
                return await grains.GetGrain<INodeAgentGrain>(NodeAgentKeys.For(silo)).GetMetricsAsync(functionName).WaitAsync(AnswerTimeout);
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                return [];
            }
        }));

        var now = time.GetUtcNow().ToUnixTimeSeconds() / 60;
        var points = new List<MetricPointDto>(FunctionMetricsRecorder.Minutes);
        var durations = new long[DurationBuckets.Count];
        for (var minute = now - FunctionMetricsRecorder.Minutes + 1; minute <= now; minute++)
        {
            Array.Clear(durations);
            long invocations = 0, errors = 0, throttles = 0;
            var concurrent = 0;
            foreach (var m in answers.SelectMany(a => a).Where(m => m.Minute == minute))
            {
                (invocations, errors, throttles, concurrent) = (invocations + m.Invocations, errors + m.Errors, throttles + m.Throttles, concurrent + m.ConcurrentExecutions);
                for (var i = 0; i + 1 < m.Durations.Length; i += 2)
                {
                    if ((uint)m.Durations[i] < (uint)durations.Length)
                    {
                        durations[m.Durations[i]] += m.Durations[i + 1]; // (a node of another version could bucket differently)
                    }
                }
            }

            var start = DateTimeOffset.FromUnixTimeSeconds(minute * 60).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            points.Add(new MetricPointDto(start, invocations, errors, throttles, concurrent,
                Round(DurationBuckets.Percentile(durations, 50)), Round(DurationBuckets.Percentile(durations, 99)), Round(DurationBuckets.Percentile(durations, 100))));
        }

        await WriteAsync(http, new FunctionMetricsDto(functionName, points), ConsoleJsonContext.Default.FunctionMetricsDto);
    }

    /// <summary>How long a silo may take to answer before the page shows it Unreachable.</summary>
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(3);

    private async Task<SiloDto> SiloAsync(SiloAddress silo, SiloStatus status)
    {
        try
        {
            var view = await grains.GetGrain<INodeAgentGrain>(NodeAgentKeys.For(silo)).GetViewAsync().WaitAsync(AnswerTimeout);
            return new SiloDto(silo.ToParsableString(), status.ToString(), view.Load.Environments, view.Load.Initializing, view.Load.FreeSlots,
                Math.Round(view.Load.CpuUsage, 1), Math.Round(view.Load.MemoryUsage, 3), view.Environments, view.Functions);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            return new SiloDto(silo.ToParsableString(), "Unreachable", 0, 0, 0, 0, 0, [], []);
        }
    }

    private static double? Round(double? milliseconds) => milliseconds is { } ms ? Math.Round(ms, 2) : null;

    private static async Task WriteAsync<T>(HttpContext http, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        http.Response.Headers.CacheControl = "no-store";
        await LambdaResults.WriteAsync(http, StatusCodes.Status200OK, value, type);
    }

    [GeneratedRegex("^[a-zA-Z0-9-_]{1,64}$")]
    private static partial Regex FunctionName();
}

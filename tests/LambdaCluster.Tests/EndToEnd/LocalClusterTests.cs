using System.Text.Json;
using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// The deploy script's loopback cluster (Redis, three silos, a gateway-only process), driven by the aws CLI:
/// any node serves the tutorial function (and the console shows all three silos), traffic continues while a silo is killed, stopping every process loses
/// neither functions nor logs, and asynchronous events accepted just before the stop run after the restart.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class LocalClusterTests : IAsyncLifetime
{
    private readonly string _workDirectory = Directory.CreateTempSubdirectory("lambda-local-cluster-").FullName;
    private LocalClusterScript _cluster = null!;

    public Task InitializeAsync()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        _cluster = LocalClusterScript.Create(Path.Combine(_workDirectory, "run"), configuration);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_workDirectory, recursive: true);
    }

    [Fact]
    public async Task TutorialFunction_ServedByEveryNode_ThroughASiloKill_AndAFullRestart()
    {
        var started = await _cluster.RunAsync("start");
        Assert.True(started.ExitCode == 0, started.Stdout + started.Stderr);
        var zip = Tools.Zip(_workDirectory, ("lambda_function.py", Functions.TutorialPython));
        var created = await Tools.AwsAtAsync(_cluster.Gateway, 1, "lambda", "create-function", "--function-name", "myLambdaFunction", "--runtime", "python3.13",
            "--handler", "lambda_function.lambda_handler", "--role", Functions.Role, "--zip-file", $"fileb://{zip}");
        Assert.True(created.ExitCode == 0, created.Stderr);

        foreach (var endpoint in new[] { _cluster.Gateway, _cluster.Silo(1), _cluster.Silo(2), _cluster.Silo(3) })
        {
            Assert.Equal("\"{\\\"area\\\": 42}\"", await InvokeAsync(endpoint, maxAttempts: 1));
        }

        // The web console through any node shows the whole cluster: its three silos, and where the function's environments run.
        var console = await Tools.ConsoleScriptAsync(_cluster.Silo(2), "cluster.mjs", "cluster", "myLambdaFunction", "3");
        Assert.True(console.ExitCode == 0, $"{console.Stderr}\n(screenshots: TestResults/console/cluster)");
        var page = Tools.Json(console.Stdout.Trim().Split('\n')[^1]);
        Assert.Equal(3, page.GetProperty("silos").GetArrayLength());
        Assert.InRange(page.GetProperty("placements").GetInt32(), 1, 3);

        var killed = await _cluster.RunAsync("kill-silo", "2");
        Assert.True(killed.ExitCode == 0, killed.Stderr);
        // Until the cluster declares the silo dead (its membership probes take a few seconds), a call routed to an environment
        // there fails with ServiceException ("left the cluster. Please try again."), as Lambda's 5xx do: asked until it is served.
        await Cluster.Waits.UntilAsync("the cluster to route around the killed silo",
            () => Tools.AwsAtAsync(_cluster.Gateway, 3, "lambda", "invoke", "--function-name", "myLambdaFunction", "--payload", "{\"length\": 6, \"width\": 7}", Path.Combine(_workDirectory, "after-kill.json")),
            result => result.ExitCode == 0, TimeSpan.FromSeconds(60));

        // Then the CLI's default retries (here 3 attempts) cover a call that was running on the killed silo.
        foreach (var endpoint in Enumerable.Repeat(new[] { _cluster.Gateway, _cluster.Silo(1), _cluster.Silo(3) }, 3).SelectMany(e => e))
        {
            Assert.Equal("\"{\\\"area\\\": 42}\"", await InvokeAsync(endpoint, maxAttempts: 3));
        }

        // Asynchronous events running when every process stops (each runs 20 s, so none finishes) run again after the
        // restart, at once: the node's stop is a system error, not a function error that waits a minute for its retry.
        var patient = Tools.Zip(_workDirectory, ("index.py", "import time\ndef handler(e, c):\n    print(f\"started {e['n']}\", flush=True)\n    time.sleep(20)\n    print(f\"ran {e['n']}\")\n"));
        Assert.Equal(0, (await Tools.AwsAtAsync(_cluster.Gateway, 1, "lambda", "create-function", "--function-name", "patient", "--runtime", "python3.12", "--timeout", "30",
            "--handler", "index.handler", "--role", Functions.Role, "--zip-file", $"fileb://{patient}")).ExitCode);
        foreach (var n in new[] { 1, 2 })
        {
            var accepted = await Tools.AwsAtAsync(_cluster.Silo(n == 1 ? 1 : 3), 1, "lambda", "invoke", "--function-name", "patient", "--invocation-type", "Event", "--payload", $"{{\"n\":{n}}}", Path.Combine(_workDirectory, $"event-{n}.json"));
            Assert.True(accepted.ExitCode == 0, accepted.Stderr);
        }

        await Cluster.Waits.UntilAsync("both events to be running",
            () => Tools.AwsAtAsync(_cluster.Gateway, 1, "logs", "filter-log-events", "--log-group-name", "/aws/lambda/patient", "--filter-pattern", "started"),
            result => result.ExitCode == 0 && result.Stdout.Contains("started 1", StringComparison.Ordinal) && result.Stdout.Contains("started 2", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var stopped = DateTimeOffset.UtcNow;
        Assert.Equal(0, (await _cluster.RunAsync("stop")).ExitCode);
        var restarted = await _cluster.RunAsync("start");
        Assert.True(restarted.ExitCode == 0, restarted.Stdout + restarted.Stderr);
        Assert.Equal("\"{\\\"area\\\": 42}\"", await InvokeAsync(_cluster.Silo(2), maxAttempts: 1));
        // The gateway-only process may still be joining the restarted cluster: asked until it answers.
        var logs = await Cluster.Waits.UntilAsync("the gateway to answer after the restart",
            () => Tools.AwsAtAsync(_cluster.Gateway, 1, "logs", "filter-log-events", "--log-group-name", "/aws/lambda/myLambdaFunction", "--filter-pattern", "area"),
            result => result.ExitCode == 0, TimeSpan.FromSeconds(60));
        Assert.True(logs.ExitCode == 0, logs.Stderr);
        var lines = JsonDocument.Parse(logs.Stdout).RootElement.GetProperty("events").EnumerateArray().Count(e => e.GetProperty("message").GetString()!.Contains("The area is 42", StringComparison.Ordinal));
        Assert.True(lines >= 14, $"expected the 14 invocations' lines from before and after the restart, found {lines}");

        // They run again as soon as the cluster is back (20 s each): their lines are logged within 80 s of the stop, where a
        // function error's first retry would start only 60 s after it and log 20 s later. Judged by the lines' own times, so
        // that a busy machine's slow restart or slow polls cannot blur the two.
        var ran = new Dictionary<string, DateTimeOffset>();
        while (DateTimeOffset.UtcNow - stopped < TimeSpan.FromSeconds(100) && ran.Count < 2)
        {
            await Task.Delay(500);
            var events = await Tools.AwsAtAsync(_cluster.Gateway, 1, "logs", "filter-log-events", "--log-group-name", "/aws/lambda/patient", "--filter-pattern", "ran");
            ran = events.ExitCode != 0 ? ran : JsonDocument.Parse(events.Stdout).RootElement.GetProperty("events").EnumerateArray()
                .Select(e => (Line: e.GetProperty("message").GetString()!.Trim(), At: DateTimeOffset.FromUnixTimeMilliseconds(e.GetProperty("timestamp").GetInt64())))
                .Where(e => e.Line.StartsWith("ran ", StringComparison.Ordinal))
                .GroupBy(e => e.Line).ToDictionary(g => g.Key, g => g.Min(e => e.At));
        }

        Assert.Equal(["ran 1", "ran 2"], ran.Keys.Order());
        Assert.All(ran.Values, at => Assert.True(at - stopped < TimeSpan.FromSeconds(80), $"logged {at - stopped} after the stop")); // (an event that started well before the other may have ended before the stop)
    }

    private async Task<string> InvokeAsync(string endpoint, int maxAttempts)
    {
        var outFile = Path.Combine(_workDirectory, $"{Guid.NewGuid():N}.json");
        var invoked = await Tools.AwsAtAsync(endpoint, maxAttempts, "lambda", "invoke", "--function-name", "myLambdaFunction", "--payload", "{\"length\": 6, \"width\": 7}", outFile);
        Assert.True(invoked.ExitCode == 0, $"invoke through {endpoint}: {invoked.Stderr}");
        return await File.ReadAllTextAsync(outFile);
    }
}

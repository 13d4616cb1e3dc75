using System.Text;
using System.Text.Json;
using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// SnapStart for Python through the aws CLI, on the sandboxed node: a published version is Pending until its template
/// ran INIT and the before-snapshot hooks, then Active; new environments are forks of it (Restore Duration in REPORT),
/// ran the after-restore hooks in Lambda's order, see INIT's state, draw their own random numbers and have their own
/// /tmp and PID namespace. Hook failures end as Lambda ends them; bad settings are refused and change nothing.
/// </summary>
[Collection(NodeCollection.Name), Trait("Category", "EndToEnd")]
public sealed class SnapStartTests(NodeFixture fixture)
{
    private const string Hooks = """
        import os, random, time
        from snapshot_restore_py import register_before_snapshot, register_after_restore
        ORDER = []
        INIT_VALUE = random.random()

        @register_before_snapshot
        def first_before():
            ORDER.append("before1")

        @register_before_snapshot
        def second_before():
            ORDER.append("before2")

        @register_after_restore
        def first_after():
            ORDER.append("after1")
            print("after-restore hook ran")

        def second_after(tag):
            ORDER.append("after2:" + tag)
            if os.environ.get("FAIL_AFTER_RESTORE"):
                raise RuntimeError("the after-restore hook failed")
        register_after_restore(second_after, "arg")

        if os.environ.get("FAIL_BEFORE_SNAPSHOT"):
            register_before_snapshot(lambda: 1 / 0)
        if os.environ.get("SLOW_RESTORE"):
            register_after_restore(time.sleep, int(os.environ["SLOW_RESTORE"]))
        time.sleep(int(os.environ.get("SLOW_INIT", "0")))

        def handler(event, context):
            time.sleep(event.get("sleep", 0))
            with open("/tmp/mine", "a") as f:
                f.write("x")
            return {"order": ORDER, "init": INIT_VALUE, "random": random.random(), "pid": os.getpid(), "tmp": sorted(os.listdir("/tmp")),
                    "type": os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE"), "stream": os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")}
        """;

    private NodeProcess Node => fixture.Node;

    [Theory]
    [InlineData("python3.12")]
    [InlineData("python3.13")]
    public async Task PublishedVersion_BecomesActive_AndEnvironmentsAreRestoredForks(string runtime)
    {
        var name = $"snap-{runtime.Replace('.', '-')}";
        await CreateAsync(name, runtime);
        var published = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "publish-version", "--function-name", name));
        Assert.Equal("Pending", published.GetProperty("State").GetString());
        Assert.Equal("On", published.GetProperty("SnapStart").GetProperty("OptimizationStatus").GetString());
        await Tools.AwsOkAsync(Node, "lambda", "wait", "published-version-active", "--function-name", name, "--qualifier", "1");
        var latest = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "get-function-configuration", "--function-name", name)).GetProperty("SnapStart");
        Assert.Equal("PublishedVersions", latest.GetProperty("ApplyOn").GetString());
        Assert.Equal("Off", latest.GetProperty("OptimizationStatus").GetString());

        // Three overlapping calls need three environments: three forks of the one template.
        var calls = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => InvokeAsync($"{name}:1", $"{name}-{i}", "{\"sleep\":2}", together: true)));
        foreach (var (result, tail) in calls)
        {
            Assert.Equal(["before2", "before1", "after1", "after2:arg"], result.GetProperty("order").EnumerateArray().Select(e => e.GetString())); // Lambda's order
            Assert.Equal("snap-start", result.GetProperty("type").GetString());
            Assert.Equal(JsonValueKind.Null, result.GetProperty("stream").ValueKind); // not set in SnapStart functions
            Assert.Equal(1, result.GetProperty("pid").GetInt32()); // a PID namespace of its own
            Assert.Equal(["mine"], result.GetProperty("tmp").EnumerateArray().Select(e => e.GetString())); // its own /tmp
            Assert.Matches(@"Restore Duration: \d+\.\d\d ms\tBilled Restore Duration: \d+ ms\t", tail);
            Assert.DoesNotContain("Init Duration", tail);
        }

        Assert.Single(calls.Select(c => c.Result.GetProperty("init").GetDouble()).Distinct()); // INIT's state, made once
        Assert.Equal(3, calls.Select(c => c.Result.GetProperty("random").GetDouble()).Distinct().Count()); // reseeded in each

        var warm = await InvokeAsync($"{name}:1", $"{name}-warm");
        Assert.DoesNotContain("Restore Duration", warm.Tail); // a warm environment reports neither

        var streams = await StreamsAsync(name);
        Assert.Contains(streams, s => s.Contains("INIT_START Runtime Version: ") && s.Contains("INIT_REPORT Init Duration: ") && !s.Contains("START RequestId"));
        Assert.Contains(streams, s => s.Contains("RESTORE_START Runtime Version: ") && s.Contains("after-restore hook ran") && s.Contains("RESTORE_REPORT Restore Duration: "));

        // $LATEST is not a snapshot: it runs INIT as any function does.
        var (unpublished, latestTail) = await InvokeAsync(name, $"{name}-latest");
        Assert.Equal("on-demand", unpublished.GetProperty("type").GetString());
        Assert.Contains("Init Duration", latestTail);
    }

    [Fact]
    public async Task AfterRestoreHookFailure_IsSnapStartException_AndBeforeSnapshotFailure_FailsTheVersion()
    {
        await CreateAsync("snap-after-fails", "python3.12", "FAIL_AFTER_RESTORE=1");
        await Tools.AwsOkAsync(Node, "lambda", "publish-version", "--function-name", "snap-after-fails");
        await Tools.AwsOkAsync(Node, "lambda", "wait", "published-version-active", "--function-name", "snap-after-fails", "--qualifier", "1");
        var outFile = Path.Combine(fixture.WorkDirectory, "snap-after-fails.json");
        var failed = await Tools.AwsAsync(Node, "lambda", "invoke", "--function-name", "snap-after-fails:1", outFile);
        Assert.Contains("SnapStartException", failed.Stderr);
        Assert.Contains("afterRestore()", failed.Stderr);
        var streams = await StreamsAsync("snap-after-fails");
        Assert.Contains(streams, s => s.Contains("RESTORE_REPORT Restore Duration: ") && s.Contains("Status: error\tError Type: Runtime.AfterRestoreError") && s.Contains("the after-restore hook failed"));

        await CreateAsync("snap-before-fails", "python3.12", "FAIL_BEFORE_SNAPSHOT=1");
        await Tools.AwsOkAsync(Node, "lambda", "publish-version", "--function-name", "snap-before-fails");
        var state = "Pending";
        for (var i = 0; i < 120 && state == "Pending"; i++)
        {
            await Task.Delay(250);
            state = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "get-function-configuration", "--function-name", "snap-before-fails:1")).GetProperty("State").GetString();
        }

        Assert.Equal("Failed", state);
        Assert.Contains(await StreamsAsync("snap-before-fails"), s => s.Contains("INIT_REPORT Init Duration: ") && s.Contains("Error Type: Runtime.BeforeSnapshotError") && s.Contains("ZeroDivisionError"));
    }

    [Fact]
    public async Task PendingVersion_IsSnapStartNotReady_ASlowRestoreTimesOut_AndDeletingTheVersionStopsItsTemplate()
    {
        // INIT takes 3 s: a call while the version is Pending is refused as Lambda refuses it, and changes nothing.
        await CreateAsync("snap-slow-init", "python3.12", "SLOW_INIT=3");
        await Tools.AwsOkAsync(Node, "lambda", "publish-version", "--function-name", "snap-slow-init");
        var early = await Tools.AwsAsync(Node, "lambda", "invoke", "--function-name", "snap-slow-init:1", Path.Combine(fixture.WorkDirectory, "snap-early.json"));
        Assert.Contains("SnapStartNotReadyException", early.Stderr);
        await Tools.AwsOkAsync(Node, "lambda", "wait", "published-version-active", "--function-name", "snap-slow-init", "--qualifier", "1");
        var (result, _) = await InvokeAsync("snap-slow-init:1", "snap-slow-init");
        Assert.Equal("snap-start", result.GetProperty("type").GetString());
        Assert.Equal(1, await Tools.MetricAsync(Node, "lambda_snapstart_templates", "snap-slow-init"));

        await Tools.AwsOkAsync(Node, "lambda", "delete-function", "--function-name", "snap-slow-init", "--qualifier", "1");
        for (var i = 0; i < 40 && await Tools.MetricAsync(Node, "lambda_snapstart_templates", "snap-slow-init") != 0; i++)
        {
            await Task.Delay(250);
        }

        Assert.Equal(0, await Tools.MetricAsync(Node, "lambda_snapstart_templates", "snap-slow-init"));

        // An after-restore hook that takes longer than Lambda's 10 s: SnapStartTimeoutException (408).
        await CreateAsync("snap-slow-restore", "python3.12", "SLOW_RESTORE=11");
        await Tools.AwsOkAsync(Node, "lambda", "publish-version", "--function-name", "snap-slow-restore");
        await Tools.AwsOkAsync(Node, "lambda", "wait", "published-version-active", "--function-name", "snap-slow-restore", "--qualifier", "1");
        var slow = await Tools.AwsAsync(Node, "lambda", "invoke", "--function-name", "snap-slow-restore:1", Path.Combine(fixture.WorkDirectory, "snap-slow.json"));
        Assert.Contains("SnapStartTimeoutException", slow.Stderr);
        Assert.Contains(await StreamsAsync("snap-slow-restore"), text => text.Contains("RESTORE_REPORT Restore Duration: ") && text.Contains("Status: timeout"));
    }

    [Fact]
    public async Task SnapStartSettings_AreValidatedAsLambdaValidatesThem()
    {
        var zip = Tools.Zip(fixture.WorkDirectory, ("index.py", "def handler(e, c):\n    return 1\n"), ("index.js", "exports.handler = async () => 1;\n"));
        string[] Create(string name, string runtime, string handler, params string[] more) =>
            ["lambda", "create-function", "--function-name", name, "--runtime", runtime, "--handler", handler, "--role", Functions.Role, "--zip-file", $"fileb://{zip}", .. more];

        // One CLI process for the whole sequence (none needs an answer of the one before).
        var results = await Tools.AwsBatchAsync(Node,
            Create("snap-node", "nodejs22.x", "index.handler", "--snap-start", "ApplyOn=PublishedVersions"),
            Create("snap-311", "python3.11", "index.handler", "--snap-start", "ApplyOn=PublishedVersions"),
            Create("snap-big-tmp", "python3.12", "index.handler", "--snap-start", "ApplyOn=PublishedVersions", "--ephemeral-storage", "Size=1024"),
            ["lambda", "get-function", "--function-name", "snap-node"],
            ["lambda", "get-function", "--function-name", "snap-311"],
            ["lambda", "get-function", "--function-name", "snap-big-tmp"],
            Create("snap-settings", "python3.12", "index.handler"),
            ["lambda", "update-function-configuration", "--function-name", "snap-settings", "--snap-start", "ApplyOn=Always"],
            ["lambda", "get-function-configuration", "--function-name", "snap-settings"],
            ["lambda", "update-function-configuration", "--function-name", "snap-settings", "--snap-start", "ApplyOn=PublishedVersions"],
            ["lambda", "publish-version", "--function-name", "snap-settings"],
            ["lambda", "wait", "published-version-active", "--function-name", "snap-settings", "--qualifier", "1"],
            ["lambda", "put-provisioned-concurrency-config", "--function-name", "snap-settings", "--qualifier", "1", "--provisioned-concurrent-executions", "1"],
            ["lambda", "get-provisioned-concurrency-config", "--function-name", "snap-settings", "--qualifier", "1"]);

        Assert.Contains("nodejs22.x is not supported for SnapStart enabled functions", results[0].Stderr);
        Assert.Contains("python3.11 is not supported for SnapStart enabled functions", results[1].Stderr);
        Assert.Contains("ephemeral storage", results[2].Stderr);
        Assert.All(results.Skip(3).Take(3), refused => Assert.Contains("ResourceNotFoundException", refused.Stderr));
        Assert.Equal(0, results[6].ExitCode);
        Assert.Contains("failed to satisfy constraint: Member must satisfy enum value set: [PublishedVersions, None]", results[7].Stderr);
        Assert.Equal("None", Tools.Json(results[8].Stdout).GetProperty("SnapStart").GetProperty("ApplyOn").GetString());
        Assert.All(results.Skip(9).Take(3), ok => Assert.True(ok.ExitCode == 0, ok.Stderr));
        Assert.Contains("InvalidParameterValueException", results[12].Stderr);
        Assert.Contains("ProvisionedConcurrencyConfigNotFoundException", results[13].Stderr);
    }

    private async Task CreateAsync(string name, string runtime, string? variable = null)
    {
        var zip = Tools.Zip(fixture.WorkDirectory, ("index.py", Hooks));
        string[] environment = variable is null ? [] : ["--environment", $"Variables={{{variable}}}"];
        await Tools.AwsOkAsync(Node, ["lambda", "create-function", "--function-name", name, "--runtime", runtime, "--handler", "index.handler", "--role", Functions.Role,
            "--zip-file", $"fileb://{zip}", "--snap-start", "ApplyOn=PublishedVersions", .. environment]);
    }

    /// <param name="together">Calls that must overlap: each runs the CLI as a process of its own, started at once.</param>
    private async Task<(JsonElement Result, string Tail)> InvokeAsync(string function, string file, string payload = "{}", bool together = false)
    {
        var outFile = Path.Combine(fixture.WorkDirectory, $"{file}.json");
        string[] invoke = ["lambda", "invoke", "--function-name", function, "--payload", payload, "--log-type", "Tail", outFile];
        var run = together ? await Tools.AwsProcessAsync(Node, invoke) : await Tools.AwsAsync(Node, invoke);
        Assert.True(run.ExitCode == 0, run.Stderr);
        var metadata = Tools.Json(run.Stdout);
        Assert.False(metadata.TryGetProperty("FunctionError", out _), await File.ReadAllTextAsync(outFile));
        var tail = Encoding.UTF8.GetString(Convert.FromBase64String(metadata.GetProperty("LogResult").GetString()!));
        return (JsonDocument.Parse(await File.ReadAllTextAsync(outFile)).RootElement.Clone(), tail);
    }

    /// <summary>Each log stream of the function as one text (its events joined by newlines).</summary>
    private async Task<List<string>> StreamsAsync(string function)
    {
        var group = $"/aws/lambda/{function}";
        var names = Tools.Json(await Tools.AwsOkAsync(Node, "logs", "describe-log-streams", "--log-group-name", group)).GetProperty("logStreams").EnumerateArray().Select(s => s.GetProperty("logStreamName").GetString()!);
        var streams = new List<string>();
        foreach (var stream in names)
        {
            var events = Tools.Json(await Tools.AwsOkAsync(Node, "logs", "get-log-events", "--log-group-name", group, "--log-stream-name", stream)).GetProperty("events");
            streams.Add(string.Join('\n', events.EnumerateArray().Select(e => e.GetProperty("message").GetString())));
        }

        return streams;
    }
}

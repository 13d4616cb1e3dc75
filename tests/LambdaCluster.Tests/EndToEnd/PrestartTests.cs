using System.Text;
using System.Text.Json;
using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// Pre-started runtimes on the sandboxed node: the first cold start of a runtime and memory size starts its own process
/// (and tells the node such cold starts happen); the next one is given a runtime the node started meanwhile. What the
/// function sees in both is the same: its variables (names and values), working folder, search paths, code at
/// /var/task, layers at /opt, user, Init Duration in REPORT.
/// </summary>
[Collection(NodeCollection.Name), Trait("Category", "EndToEnd")]
public sealed class PrestartTests(NodeFixture fixture)
{
    private const string PythonDump = """
        import getpass, json, os, sys
        import greeting
        def handler(event, context):
            return {"environment": dict(os.environ), "cwd": os.getcwd(), "path": sys.path, "task": sorted(os.listdir("/var/task")),
                    "layer": greeting.hello(), "layerFile": greeting.__file__, "user": getpass.getuser(), "uid": os.getuid() > 0,
                    "procEnviron": sorted(e.split("=", 1)[0] for e in open("/proc/self/environ").read().split("\0") if e)}
        """;

    private const string NodeDump = """
        const os = require('os');
        const greeting = require('greeting');
        exports.handler = async () => ({ environment: { ...process.env }, cwd: process.cwd(), path: module.paths, task: require('fs').readdirSync('/var/task').sort(),
          layer: greeting.hello(), layerFile: require.resolve('greeting'), user: os.userInfo().username, uid: process.getuid() > 0,
          procEnviron: require('fs').readFileSync('/proc/self/environ', 'latin1').split('\0').filter((e) => e).map((e) => e.split('=')[0]).sort() });
        """;

    /// <summary>Variables whose values belong to one function or environment; every other one must be equal.</summary>
    private static readonly string[] OwnValues = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_LAMBDA_RUNTIME_API", "_X_AMZN_TRACE_ID", "AWS_LAMBDA_LOG_GROUP_NAME"];

    private NodeProcess Node => fixture.Node;

    [Theory]
    [InlineData("python3.12", "index.py", "python/greeting.py", "def hello():\n    return 'hello from a layer'\n")]
    [InlineData("nodejs22.x", "index.js", "nodejs/node_modules/greeting/index.js", "exports.hello = () => 'hello from a layer';\n")]
    public async Task PrestartedColdStart_SeesExactlyWhatAFreshProcessSees(string runtime, string file, string layerFile, string layerCode)
    {
        var prefix = $"prestart-{runtime.Replace('.', '-')}";
        var layerZip = Tools.Zip(fixture.WorkDirectory, (layerFile, layerCode));
        var layer = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "publish-layer-version", "--layer-name", $"{prefix}-greeting", "--zip-file", $"fileb://{layerZip}"))
            .GetProperty("LayerVersionArn").GetString()!;
        var zip = Tools.Zip(fixture.WorkDirectory, (file, runtime.StartsWith("python", StringComparison.Ordinal) ? PythonDump : NodeDump));

        // A memory size no other test uses: its first cold start has no pre-started runtime waiting.
        var fresh = await ColdStartAsync($"{prefix}-fresh", runtime, zip, layer);
        Assert.Equal(0, await PrestartedColdStartsAsync($"{prefix}-fresh"));

        // The node now starts one ahead for this runtime and memory size; a new function's cold start is given it.
        JsonElement given = default;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            await Task.Delay(500);
            given = await ColdStartAsync($"{prefix}-given-{attempt}", runtime, zip, layer);
            if (await PrestartedColdStartsAsync($"{prefix}-given-{attempt}") == 1)
            {
                break;
            }

            Assert.True(attempt < 19, "no cold start was given a pre-started runtime");
        }

        var freshVariables = Variables(fresh);
        var givenVariables = Variables(given);
        Assert.Equal(freshVariables.Keys.Order(), givenVariables.Keys.Order());
        foreach (var (name, value) in freshVariables.Where(v => !OwnValues.Contains(v.Key)))
        {
            Assert.Equal((name, value), (name, givenVariables[name]));
        }

        foreach (var property in new[] { "cwd", "path", "task", "layer", "layerFile", "user", "uid", "procEnviron" })
        {
            Assert.Equal(fresh.GetProperty(property).GetRawText(), given.GetProperty(property).GetRawText());
        }

        Assert.Equal("/var/task", given.GetProperty("cwd").GetString());
        Assert.StartsWith("/opt/", given.GetProperty("layerFile").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrestartedRuntime_CannotWriteItsCode()
    {
        const string name = "prestart-readonly";
        const string code = "import os\ndef handler(event, context):\n    try:\n        open('/var/task/x', 'w')\n        return 'written'\n    except OSError as e:\n        return e.strerror\n";
        var zip = Tools.Zip(fixture.WorkDirectory, ("index.py", code));
        for (var attempt = 0; attempt < 20; attempt++)
        {
            await Task.Delay(500);
            var function = $"{name}-{attempt}";
            await Tools.AwsOkAsync(Node, "lambda", "create-function", "--function-name", function, "--runtime", "python3.12", "--handler", "index.handler",
                "--role", Functions.Role, "--zip-file", $"fileb://{zip}", "--memory-size", "192");
            var outFile = Path.Combine(fixture.WorkDirectory, $"{function}.json");
            await Tools.AwsOkAsync(Node, "lambda", "invoke", "--function-name", function, outFile);
            Assert.Equal("\"Read-only file system\"", await File.ReadAllTextAsync(outFile));
            if (await PrestartedColdStartsAsync(function) == 1)
            {
                return;
            }
        }

        Assert.Fail("no cold start was given a pre-started runtime");
    }

    private async Task<JsonElement> ColdStartAsync(string name, string runtime, string zip, string layer)
    {
        await Tools.AwsOkAsync(Node, "lambda", "create-function", "--function-name", name, "--runtime", runtime, "--handler", "index.handler", "--role", Functions.Role,
            "--zip-file", $"fileb://{zip}", "--layers", layer, "--memory-size", runtime.StartsWith("python", StringComparison.Ordinal) ? "320" : "352",
            "--environment", "Variables={GREETING=hi,TZ=:UTC}");
        var outFile = Path.Combine(fixture.WorkDirectory, $"{name}.json");
        var metadata = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "invoke", "--function-name", name, "--log-type", "Tail", outFile));
        Assert.False(metadata.TryGetProperty("FunctionError", out _), await File.ReadAllTextAsync(outFile));
        Assert.Contains("Init Duration: ", Encoding.UTF8.GetString(Convert.FromBase64String(metadata.GetProperty("LogResult").GetString()!)));
        return JsonDocument.Parse(await File.ReadAllTextAsync(outFile)).RootElement.Clone();
    }

    private static Dictionary<string, string> Variables(JsonElement dump) =>
        dump.GetProperty("environment").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);

    private Task<int> PrestartedColdStartsAsync(string function) => Tools.MetricAsync(Node, "lambda_prestarted_cold_starts_total", function);
}

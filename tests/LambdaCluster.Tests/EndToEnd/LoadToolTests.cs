using System.Text.Json;
using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// The load-test tool against a real node (its figures belong in benchmarks; here only its outcomes count):
/// back-to-back warm invocations reuse their environments and never fail. A runtime asks for its next event
/// right after answering one, while the platform may already have queued that event; this once failed ~10 %.
/// </summary>
[Collection(NodeCollection.Name), Trait("Category", "EndToEnd")]
public sealed class LoadToolTests(NodeFixture fixture)
{
    [Theory]
    [InlineData("nodejs22.x", "index.mjs", "export const handler = async (event) => event;\n", "index.handler")]
    [InlineData("python3.12", "echo.py", "def handler(event, context):\n    return event\n", "echo.handler")]
    public async Task BackToBackInvocations_AllSucceed_OnTheirFirstEnvironments(string runtime, string file, string code, string handler)
    {
        var name = $"load-{runtime.Replace('.', '-')}";
        var zip = Tools.Zip(fixture.WorkDirectory, (file, code));
        var created = await Tools.AwsAsync(fixture.Node, "lambda", "create-function", "--function-name", name, "--runtime", runtime, "--handler", handler, "--role", Functions.Role, "--zip-file", $"fileb://{zip}");
        Assert.True(created.ExitCode == 0, created.Stderr);

        var run = await Tools.RunAsync("dotnet", [LoadTool(), "--endpoint", fixture.Node.Endpoint, "--function", name, "--concurrency", "4", "--requests", "800", "--payload", "{\"n\":1}", "--json"]);

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        var report = JsonDocument.Parse(run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
        Assert.Equal(800, report.GetProperty("requests").GetInt32());
        Assert.Equal(0, report.GetProperty("errors").GetInt32());
        Assert.InRange(report.GetProperty("cold_starts").GetInt32(), 1, 4);
    }

    private static string LoadTool()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        return Tools.RepositoryFile("tests", "LambdaCluster.LoadTest", "bin", configuration, "net10.0", "lambda-load.dll");
    }
}

using System.Text.Json;
using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>The JavaScript SDK behaves as against Lambda: waiters, typed errors, pagination, concurrency.</summary>
[Collection(NodeCollection.Name), Trait("Category", "EndToEnd")]
public sealed class SdkTests(NodeFixture fixture)
{
    [Fact]
    public async Task JavaScriptSdk_WaitersErrorsPaginationAndTwentyConcurrentColdCalls()
    {
        // Each call sleeps, so the 20 calls overlap and need many environments: as many as the node starts before the
        // first come back warm (it runs MaxConcurrentInits INITs at once; a call waiting for room takes whichever is first).
        var zip = Tools.Zip(fixture.WorkDirectory, ("index.py", "import time\ndef handler(e, c):\n    time.sleep(0.5)\n    return {'stream': c.log_stream_name}\n"));
        var run = await Tools.NodeScriptAsync(fixture.Node, "sdk-check.mjs", zip, "sdk");
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        var result = JsonDocument.Parse(run.Stdout.Trim().Split('\n')[^1]).RootElement;
        Assert.Equal("SUCCESS", result.GetProperty("waiter").GetString());
        Assert.Equal("SUCCESS", result.GetProperty("updatedWaiter").GetString());
        Assert.Equal("ResourceNotFoundException:404", result.GetProperty("notFound").GetString());
        Assert.True(result.GetProperty("paginated").GetBoolean());
        Assert.True(result.GetProperty("pages").GetInt32() >= 3);
        Assert.True(result.GetProperty("concurrentOk").GetBoolean());
        Assert.InRange(result.GetProperty("distinctEnvironments").GetInt32(), 2, 20);
    }
}

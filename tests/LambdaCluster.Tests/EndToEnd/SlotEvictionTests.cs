using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// A node whose Runtime API slots are all held by warm environments still starts the next one: the environment idle
/// longest is stopped to make room (Lambda never turns a call away because other functions are warm), and a call to it
/// later is simply a cold start.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class SlotEvictionTests(SlotEvictionTests.ThreeSlotNode fixture) : IClassFixture<SlotEvictionTests.ThreeSlotNode>
{
    /// <summary>A node of three Runtime API slots and no pre-started runtimes (which would hold slots of their own).</summary>
    public sealed class ThreeSlotNode : NodeFixture
    {
        protected override IReadOnlyDictionary<string, string> MoreSettings() => new Dictionary<string, string>
        {
            ["Environments:RuntimeApiSlots"] = "3",
            ["Environments:PrestartPerKey"] = "0",
        };
    }

    [Fact]
    public async Task EveryCall_Runs_WhenWarmEnvironmentsHoldEverySlot()
    {
        var zip = Tools.Zip(fixture.WorkDirectory, ("index.py", "import os\ndef handler(e, c):\n    return os.environ['AWS_LAMBDA_FUNCTION_NAME']\n"));
        var names = new[] { "slot-1", "slot-2", "slot-3", "slot-4" };
        var created = await Tools.AwsBatchAsync(fixture.Node, [.. names.Select(name => new[]
        {
            "lambda", "create-function", "--function-name", name, "--runtime", "python3.12", "--handler", "index.handler", "--role", Functions.Role, "--zip-file", $"fileb://{zip}",
        })]);
        Assert.All(created, c => Assert.True(c.ExitCode == 0, c.Stderr));

        // Three warm environments fill the node; the fourth function's cold start, then slot-1's again, each evict the idlest.
        foreach (var name in names.Append("slot-1"))
        {
            var outFile = Path.Combine(fixture.WorkDirectory, $"{name}-{Guid.NewGuid():N}.json");
            await Tools.AwsOkAsync(fixture.Node, "lambda", "invoke", "--function-name", name, outFile);
            Assert.Equal($"\"{name}\"", await File.ReadAllTextAsync(outFile));
        }

        Assert.Contains("every Runtime API slot of this node was in use", fixture.Node.Output, StringComparison.Ordinal);
    }
}

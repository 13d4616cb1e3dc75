using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// The hostile-input fuzz command (tests/LambdaCluster.LoadTest/fuzz.py), run short: its own node, every operation of the
/// Lambda, Logs, SQS and Kinesis models, requests built to be refused. No 5xx, no crash, nothing stored changes.
/// The full run (10,000 requests and more seeds) is the command itself.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class FuzzTests
{
    [Fact]
    public async Task ThreeHundredHostileRequests_AreAllRefused_AndChangeNothing()
    {
        var run = await Tools.RunAsync("python3", [Tools.RepositoryFile("tests", "LambdaCluster.LoadTest", "fuzz.py"), "--requests", "300", "--seed", "7", "--workers", "2", "--silo", NodeProcess.SiloAssembly()]);

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Contains("5xx or dropped: 0; node up: True; state changed: none", run.Stdout, StringComparison.Ordinal);
    }
}

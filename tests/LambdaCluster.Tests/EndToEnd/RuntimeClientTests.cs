using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// The runtime clients complete invocations as AWS's do, through boto3 (EndToEnd/py/runtime_client_check.py): Node.js
/// callbacks wait for an empty event loop unless told not to, a handler that never calls back is answered null, a
/// rejection left after the answer restarts the runtime without failing the next call; Python keeps Decimals' digits.
/// </summary>
[Collection(NodeCollection.Name), Trait("Category", "EndToEnd")]
public sealed class RuntimeClientTests(NodeFixture fixture)
{
    [Fact]
    public async Task Invocations_CompleteAsAwssRuntimeClientsCompleteThem()
    {
        var run = await Tools.BotoScriptAsync(fixture.Node, "runtime_client_check.py", fixture.WorkDirectory);
        Assert.True(run.ExitCode == 0 && run.Stdout.Trim() == "ok", run.Stderr + run.Stdout);
    }
}

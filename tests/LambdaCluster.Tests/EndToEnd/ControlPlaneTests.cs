using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// The control plane answers as AWS does, through boto3 (EndToEnd/py/control_plane_check.py): Publish on create and
/// code update, ARNs as function names, Lambda's errors for long names and other regions or accounts, $LATEST's
/// qualified ARN, enum validation before support, idempotent deletes, resource policies, tags, recursion and runtime
/// management settings, layer permissions and code signing configurations.
/// </summary>
[Collection(NodeCollection.Name), Trait("Category", "EndToEnd")]
public sealed class ControlPlaneTests(NodeFixture fixture)
{
    [Fact]
    public async Task Boto3_GetsAwssAnswers_AcrossTheControlPlane()
    {
        var zip = Tools.Zip(fixture.WorkDirectory, ("index.py", "def handler(event, context):\n    return event\n"));
        var run = await Tools.BotoScriptAsync(fixture.Node, "control_plane_check.py", zip);
        Assert.True(run.ExitCode == 0 && run.Stdout.Trim() == "ok", run.Stderr + run.Stdout);
    }
}

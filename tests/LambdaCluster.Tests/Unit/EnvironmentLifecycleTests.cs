using LambdaCluster.Runtimes.Environments;
using Xunit;

namespace LambdaCluster.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class EnvironmentLifecycleTests
{
    [Fact]
    public void ColdThenWarmThenDead_IsAllowed()
    {
        var lifecycle = new EnvironmentLifecycle();
        Assert.True(lifecycle.TryMoveTo(EnvironmentState.Initializing));
        Assert.True(lifecycle.TryMoveTo(EnvironmentState.Idle));
        Assert.True(lifecycle.TryMoveTo(EnvironmentState.Invoking));
        Assert.True(lifecycle.TryMoveTo(EnvironmentState.Idle));
        Assert.True(lifecycle.TryMoveTo(EnvironmentState.Dead));
    }

    [Fact]
    public void Dead_NeverLeaves()
    {
        var lifecycle = new EnvironmentLifecycle();
        Assert.True(lifecycle.TryMoveTo(EnvironmentState.Dead));
        foreach (var state in Enum.GetValues<EnvironmentState>())
        {
            Assert.False(lifecycle.TryMoveTo(state));
        }
    }

    [Theory]
    [InlineData(EnvironmentState.Created, EnvironmentState.Invoking)]
    [InlineData(EnvironmentState.Created, EnvironmentState.Idle)]
    [InlineData(EnvironmentState.Initializing, EnvironmentState.Invoking)]
    [InlineData(EnvironmentState.Invoking, EnvironmentState.Invoking)]
    public void SkippingInit_OrDoubleInvoking_IsDenied(EnvironmentState from, EnvironmentState to) =>
        Assert.False(EnvironmentLifecycle.IsAllowed(from, to));
}

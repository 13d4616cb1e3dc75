using LambdaCluster.Runtimes.Environments;
using Xunit;

namespace LambdaCluster.Tests.Unit.Runtimes.Environments;

/// <summary>A node's memory budget for pre-warmed environments: each charges its MemorySize until used or stopped.</summary>
[Trait("Category", "Unit")]
public sealed class PrewarmBudgetTests
{
    [Fact]
    public void TryCharge_TakesWhatFits_RefusesWhatDoesNot_AndARefundMakesRoom()
    {
        var budget = new PrewarmBudget(1024);

        Assert.True(budget.TryCharge(512));
        Assert.True(budget.TryCharge(512));
        Assert.False(budget.TryCharge(128));
        Assert.Equal(1024, budget.UsedMb);

        budget.Refund(512);
        Assert.False(budget.TryCharge(1024));
        Assert.True(budget.TryCharge(256));
        Assert.Equal(768, budget.UsedMb);
    }

    [Fact]
    public void AZeroBudget_RefusesEveryPrewarm() => Assert.False(new PrewarmBudget(0).TryCharge(128));
}

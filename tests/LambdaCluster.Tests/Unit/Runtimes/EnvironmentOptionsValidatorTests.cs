using LambdaCluster.Runtimes.Hosting;
using Xunit;

namespace LambdaCluster.Tests.Unit.Runtimes;

/// <summary>Node start-up fails on environment settings that cannot work, naming the setting.</summary>
[Trait("Category", "Unit")]
public sealed class EnvironmentOptionsValidatorTests
{
    [Fact]
    public void TheDefaults_AreValid() => Assert.True(Validate(new EnvironmentOptions { RuntimeClientsDirectory = AppContext.BaseDirectory }).Succeeded);

    [Theory]
    [InlineData(-1, "00:30:00", "Environments:PrewarmBudgetMb")]
    [InlineData(1_048_577, "00:30:00", "Environments:PrewarmBudgetMb")]
    [InlineData(0, "00:00:30", "Environments:IdleHistoryRange")]
    [InlineData(0, "00:30:30", "Environments:IdleHistoryRange")]
    [InlineData(0, "1.00:01:00", "Environments:IdleHistoryRange")]
    public void PredictiveKeepWarmSettings_OutOfBounds_FailNamingTheSetting(int budgetMb, string range, string setting)
    {
        var result = Validate(new EnvironmentOptions { RuntimeClientsDirectory = AppContext.BaseDirectory, PrewarmBudgetMb = budgetMb, IdleHistoryRange = TimeSpan.Parse(range, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, failure => failure.StartsWith(setting, StringComparison.Ordinal));
    }

    [Fact]
    public void TheLongestKeepWarm_IsTheHistoryRange_OnlyWhilePredicting()
    {
        Assert.Equal(TimeSpan.FromHours(4), new EnvironmentOptions().LongestKeepWarm);
        Assert.Equal(TimeSpan.FromMinutes(10), new EnvironmentOptions { PredictiveKeepWarm = false }.LongestKeepWarm);
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(EnvironmentOptions options) => new EnvironmentOptionsValidator().Validate(null, options);
}

using LambdaCluster.Grains.Concurrency;
using LambdaCluster.Tests.Support;
using Xunit;

namespace LambdaCluster.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class ScalingRateLimiterTests
{
    [Fact]
    public void Burst_IsTheRate_ThenRefillsContinuously_AndNeverAccumulatesBeyondIt()
    {
        var time = new ManualTime();
        var limiter = new ScalingRateLimiter(1000, TimeSpan.FromSeconds(10), time);

        Assert.Equal(1000, Enumerable.Range(0, 1500).Count(_ => limiter.TryTake()));
        Assert.False(limiter.TryTake());

        time.Advance(TimeSpan.FromSeconds(1)); // 100 per second
        Assert.Equal(100, Enumerable.Range(0, 500).Count(_ => limiter.TryTake()));

        time.Advance(TimeSpan.FromMinutes(5)); // idle time does not bank more than the rate
        Assert.Equal(1000, Enumerable.Range(0, 1500).Count(_ => limiter.TryTake()));
    }
}

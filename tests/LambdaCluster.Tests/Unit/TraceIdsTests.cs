using LambdaCluster.Runtimes.Invocation;
using System.Diagnostics;
using Xunit;

namespace LambdaCluster.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class TraceIdsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void CallersHeader_IsContinued()
    {
        const string header = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
        Assert.Equal(header, TraceIds.For(header, null, Now));
    }

    [Fact]
    public void CurrentActivity_BecomesTheXRayIdOfTheSameTrace()
    {
        using var activity = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        var trace = activity.TraceId.ToHexString();

        var id = TraceIds.For(null, activity, Now);

        Assert.Equal($"Root=1-{trace[..8]}-{trace[8..]};Parent={activity.SpanId.ToHexString()};Sampled={(activity.Recorded ? 1 : 0)}", id);
    }

    [Fact]
    public void WithoutEither_ANewIdCarriesTheEpochSeconds()
    {
        Assert.Matches($"^Root=1-{Now.ToUnixTimeSeconds():x8}-[0-9a-f]{{24}};Parent=[0-9a-f]{{16}};Sampled=0$", TraceIds.For("garbage", null, Now));
    }
}

using System.Net;
using LambdaCluster.Grains.Pool;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace LambdaCluster.Tests.Unit.Grains;

/// <summary>
/// A silo whose callers keep getting other silos' environments from the pool is due one of its own after
/// <see cref="SiloShortfall.Threshold"/> such grants within <see cref="SiloShortfall.Window"/>, one start at a time per
/// silo; each silo counts apart.
/// </summary>
[Trait("Category", "Unit")]
public sealed class SiloShortfallTests
{
    private static readonly SiloAddress First = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), 1);
    private static readonly SiloAddress Second = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11112), 1);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void AStartIsDue_AtTheThresholdCrossing_AndTheCountStartsAgain()
    {
        var shortfall = new SiloShortfall(_time);

        Assert.False(CrossTimes(shortfall, First, SiloShortfall.Threshold - 1));
        Assert.True(shortfall.Crossed(First));

        shortfall.Ended(First);
        Assert.False(CrossTimes(shortfall, First, SiloShortfall.Threshold - 1));
        Assert.True(shortfall.Crossed(First));
    }

    [Fact]
    public void WhileAStartRunsOnASilo_NoOtherIsDueThere_AndItsCrossingsAreNotCounted()
    {
        var shortfall = new SiloShortfall(_time);
        CrossTimes(shortfall, First, SiloShortfall.Threshold - 1);
        Assert.True(shortfall.Crossed(First));

        Assert.False(CrossTimes(shortfall, First, SiloShortfall.Threshold * 2));

        shortfall.Ended(First);
        Assert.False(shortfall.Crossed(First)); // counting starts again from nothing
    }

    [Fact]
    public void EachSiloCountsApart_AndADepartedSiloIsForgotten()
    {
        var shortfall = new SiloShortfall(_time);
        CrossTimes(shortfall, First, SiloShortfall.Threshold - 1);

        Assert.False(shortfall.Crossed(Second));
        shortfall.Forget(First);
        Assert.False(CrossTimes(shortfall, First, SiloShortfall.Threshold - 1));
        Assert.True(shortfall.Crossed(First));
    }

    [Fact]
    public void CrossingsSpreadBeyondTheWindow_AreChance_NotAShortfall()
    {
        var shortfall = new SiloShortfall(_time);
        for (var i = 0; i < SiloShortfall.Threshold * 3; i++)
        {
            Assert.False(shortfall.Crossed(First));
            _time.Advance(SiloShortfall.Window / (SiloShortfall.Threshold - 2)); // the count begins again before it reaches the threshold
        }

        _time.Advance(SiloShortfall.Window);
        Assert.False(CrossTimes(shortfall, First, SiloShortfall.Threshold - 1)); // then the threshold within one window
        Assert.True(shortfall.Crossed(First));
    }

    /// <summary>Counts <paramref name="times"/> crossings of <paramref name="silo"/>; true if any made a start due.</summary>
    private static bool CrossTimes(SiloShortfall shortfall, SiloAddress silo, int times)
    {
        var due = false;
        for (var i = 0; i < times; i++)
        {
            due |= shortfall.Crossed(silo);
        }

        return due;
    }
}

using System.Net;
using LambdaCluster.Grains.Pool;
using Xunit;

namespace LambdaCluster.Tests.Unit.Grains;

/// <summary>
/// A silo whose callers keep getting other silos' environments from the pool is due one of its own after
/// <see cref="SiloShortfall.Threshold"/> such grants, one start at a time per silo; each silo counts apart.
/// </summary>
[Trait("Category", "Unit")]
public sealed class SiloShortfallTests
{
    private static readonly SiloAddress First = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), 1);
    private static readonly SiloAddress Second = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11112), 1);

    [Fact]
    public void AStartIsDue_AtTheThresholdCrossing_AndTheCountStartsAgain()
    {
        var shortfall = new SiloShortfall();

        Assert.All(Enumerable.Range(1, SiloShortfall.Threshold - 1), _ => Assert.False(shortfall.Crossed(First)));
        Assert.True(shortfall.Crossed(First));

        shortfall.Ended(First);
        Assert.All(Enumerable.Range(1, SiloShortfall.Threshold - 1), _ => Assert.False(shortfall.Crossed(First)));
        Assert.True(shortfall.Crossed(First));
    }

    [Fact]
    public void WhileAStartRunsOnASilo_NoOtherIsDueThere_AndItsCrossingsAreNotCounted()
    {
        var shortfall = new SiloShortfall();
        Enumerable.Range(1, SiloShortfall.Threshold - 1).ToList().ForEach(_ => shortfall.Crossed(First));
        Assert.True(shortfall.Crossed(First));

        Assert.All(Enumerable.Range(1, SiloShortfall.Threshold * 2), _ => Assert.False(shortfall.Crossed(First)));

        shortfall.Ended(First);
        Assert.False(shortfall.Crossed(First)); // counting starts again from nothing
    }

    [Fact]
    public void EachSiloCountsApart_AndADepartedSiloIsForgotten()
    {
        var shortfall = new SiloShortfall();
        Enumerable.Range(1, SiloShortfall.Threshold - 1).ToList().ForEach(_ => shortfall.Crossed(First));

        Assert.False(shortfall.Crossed(Second));
        shortfall.Forget(First);
        Assert.All(Enumerable.Range(1, SiloShortfall.Threshold - 1), _ => Assert.False(shortfall.Crossed(First)));
        Assert.True(shortfall.Crossed(First));
    }
}

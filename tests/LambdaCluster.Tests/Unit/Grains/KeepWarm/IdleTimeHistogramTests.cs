using LambdaCluster.Grains.Pool.KeepWarm;
using Xunit;

namespace LambdaCluster.Tests.Unit.Grains.KeepWarm;

/// <summary>The idle-time histogram of "Serverless in the Wild" (ATC 2020): 1-minute bins up to a range, percentiles by nearest rank, CV of the bin counts.</summary>
[Trait("Category", "Unit")]
public sealed class IdleTimeHistogramTests
{
    [Fact]
    public void Record_BinsByWholeMinutes_AndCountsTheRangeAndBeyondOutOfRange()
    {
        var histogram = new IdleTimeHistogram();
        histogram.Record(TimeSpan.FromSeconds(30));
        histogram.Record(TimeSpan.FromSeconds(59.9));
        histogram.Record(TimeSpan.FromMinutes(1));
        histogram.Record(TimeSpan.FromHours(4) - TimeSpan.FromSeconds(1));
        histogram.Record(TimeSpan.FromHours(4));
        histogram.Record(TimeSpan.FromDays(2));
        histogram.Record(TimeSpan.FromSeconds(-2)); // an acquire another silo's clock put before the release: back to back

        Assert.Equal(3, histogram[0]);
        Assert.Equal(1, histogram[1]);
        Assert.Equal(1, histogram[239]);
        Assert.Equal(5, histogram.InRange);
        Assert.Equal(2, histogram.OutOfRange);
        Assert.Equal(7, histogram.Count);
    }

    [Fact]
    public void PercentileBin_IsTheBinOfTheNearestRank_WithItsEdges()
    {
        var histogram = new IdleTimeHistogram();
        for (var minute = 0; minute < 100; minute++)
        {
            histogram.Record(TimeSpan.FromMinutes(minute + 0.5));
        }

        Assert.Equal((TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5)), histogram.PercentileBin(5));
        Assert.Equal((TimeSpan.FromMinutes(98), TimeSpan.FromMinutes(99)), histogram.PercentileBin(99));
        Assert.Equal((TimeSpan.FromMinutes(99), TimeSpan.FromMinutes(100)), histogram.PercentileBin(100));
        Assert.Equal((TimeSpan.Zero, TimeSpan.FromMinutes(1)), histogram.PercentileBin(0));
    }

    [Fact]
    public void PercentileBin_FallingOutOfRange_IsTheRange_AndNullWhileEmpty()
    {
        var histogram = new IdleTimeHistogram(TimeSpan.FromMinutes(30));
        Assert.Null(histogram.PercentileBin(50));

        histogram.Record(TimeSpan.FromMinutes(12.5));
        histogram.Record(TimeSpan.FromHours(1));

        Assert.Equal((TimeSpan.FromMinutes(12), TimeSpan.FromMinutes(13)), histogram.PercentileBin(50));
        Assert.Equal((TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(30)), histogram.PercentileBin(99));
    }

    [Fact]
    public void CoefficientOfVariation_IsHighForOneSharpBin_AndZeroForAnEvenSpread()
    {
        var sharp = new IdleTimeHistogram();
        var even = new IdleTimeHistogram();
        Assert.Equal(0, sharp.CoefficientOfVariation());

        for (var i = 0; i < 240; i++)
        {
            sharp.Record(TimeSpan.FromMinutes(11.98));
            even.Record(TimeSpan.FromMinutes(i + 0.5));
        }

        Assert.Equal(Math.Sqrt(239), sharp.CoefficientOfVariation(), precision: 9); // all the mass in 1 of 240 bins
        Assert.Equal(0, even.CoefficientOfVariation(), precision: 9);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(90)]
    public void TheRange_MustBeAWholeNumberOfMinutes(int seconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new IdleTimeHistogram(TimeSpan.FromSeconds(seconds)));
}

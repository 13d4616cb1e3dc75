using LambdaCluster.Runtimes.Invocation;
using Xunit;

namespace LambdaCluster.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class RecursionLineageTests
{
    private const string Root = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0";

    [Fact]
    public void AFirstInvocation_AddsTheFunctionsEntry_AndEachHopCountsOneMore()
    {
        var hash = RecursionLineage.FunctionHash("loop");
        var (first, one) = RecursionLineage.Advance(Root, hash);
        var (second, two) = RecursionLineage.Advance(first, hash);

        Assert.Equal((Root + $";Lineage={hash}:1", 1), (first, one));
        Assert.Equal((Root + $";Lineage={hash}:2", 2), (second, two));
    }

    [Fact]
    public void OtherFunctionsEntries_AreKept_AndCountedApart()
    {
        var (a, b) = (RecursionLineage.FunctionHash("a"), RecursionLineage.FunctionHash("b"));
        var (trace, _) = RecursionLineage.Advance(Root + $";Lineage={a}:5", b);
        var (again, count) = RecursionLineage.Advance(trace, a);

        Assert.Equal(Root + $";Lineage={a}:6|{b}:1", again);
        Assert.Equal(6, count);
    }

    [Theory]
    [InlineData("Lineage=")]
    [InlineData("Lineage=zz")]
    [InlineData("Lineage=|||")]
    public void AMalformedLineage_StartsTheCountAgain(string lineage)
    {
        var hash = RecursionLineage.FunctionHash("f");
        Assert.Equal(1, RecursionLineage.Advance($"{Root};{lineage}", hash).Count);
        Assert.Equal(1, RecursionLineage.Advance($"{Root};Lineage={hash}:notanumber", hash).Count);
        Assert.Equal(1, RecursionLineage.Advance($"{Root};Lineage={hash}:2147483647", hash).Count);
    }
}

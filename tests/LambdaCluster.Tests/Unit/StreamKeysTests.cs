using System.Numerics;
using LambdaCluster.Grains.Streams;
using Xunit;

namespace LambdaCluster.Tests.Unit;

/// <summary>Kinesis's hashing of partition keys onto shards, its hash key ranges and its sequence numbers.</summary>
[Trait("Category", "Unit")]
public sealed class StreamKeysTests
{
    [Theory]
    // Expected shards computed independently: int(md5(key).hexdigest(), 16) * shards // 2**128.
    [InlineData("a", 2, 0)]
    [InlineData("key-0", 2, 1)]
    [InlineData("key-0", 4, 2)]
    [InlineData("key-3", 4, 1)]
    [InlineData("partition", 4, 1)]
    public void PartitionKeys_HashOntoShards_AsKinesisDoes(string key, int shards, int expected) =>
        Assert.Equal(expected, StreamKeys.ShardFor(key, null, shards));

    [Fact]
    public void ExplicitHashKeys_PickTheShardWhoseRangeHoldsThem()
    {
        Assert.Equal(0, StreamKeys.ShardFor("ignored", "0", 3));
        Assert.Equal(2, StreamKeys.ShardFor("ignored", "340282366920938463463374607431768211455", 3));
        Assert.False(StreamKeys.IsValidHashKey("340282366920938463463374607431768211456"));
        Assert.False(StreamKeys.IsValidHashKey("-1"));
    }

    [Fact]
    public void HashKeyRanges_CoverTheWholeSpace_WithoutGapsOrOverlaps()
    {
        const int shards = 7;
        var next = BigInteger.Zero;
        for (var i = 0; i < shards; i++)
        {
            var (start, end) = StreamKeys.HashKeyRange(i, shards);
            Assert.Equal(next, BigInteger.Parse(start));
            next = BigInteger.Parse(end) + 1;
        }

        Assert.Equal(BigInteger.Pow(2, 128), next);
    }

    [Fact]
    public void SequenceNumbers_Have56Digits_AndOrderAsText()
    {
        var earlier = StreamKeys.SequenceNumber(3, 9);
        var later = StreamKeys.SequenceNumber(3, 10);
        Assert.True(StreamKeys.IsValidSequenceNumber(earlier));
        Assert.True(string.CompareOrdinal(earlier, later) < 0);
        Assert.Equal(3, StreamKeys.ShardIndex(StreamKeys.ShardId(3)));
        Assert.Null(StreamKeys.ShardIndex("shard-3"));
    }
}

using LambdaCluster.Grains.Queues;
using Xunit;

namespace LambdaCluster.Tests.Unit;

/// <summary>SQS's MD5s of bodies and attributes (vectors the aws CLI accepted), receipt handles, and queue names.</summary>
[Trait("Category", "Unit")]
public sealed class QueueMessageTests
{
    [Fact]
    public void BodyAndAttributeDigests_MatchWhatSqsClientsCheck()
    {
        Assert.Equal("5d41402abc4b2a76b9719d911017c592", MessageMd5.Of("hello"));
        var attributes = new Dictionary<string, MessageAttributeValue>
        {
            ["Title"] = new("String", "The Whistler", null),
            ["N"] = new("Number", "3", null),
        };
        Assert.Equal("d7fd3483bcc65fb8c5aa5216025c1cc8", MessageMd5.Of(attributes));
        Assert.Null(MessageMd5.Of(new Dictionary<string, MessageAttributeValue>()));
    }

    [Fact]
    public void ReceiptHandles_NameTheirMessage_AndForgeriesAreRefused()
    {
        var id = Guid.NewGuid().ToString();
        Assert.Equal(id, QueueReceipts.MessageIdOf(QueueReceipts.New(id)));
        Assert.Null(QueueReceipts.MessageIdOf("forged"));
        Assert.Null(QueueReceipts.MessageIdOf(Convert.ToBase64String("not-a-guid#x"u8.ToArray())));
        Assert.Null(QueueReceipts.MessageIdOf(new string('A', 2000)));
    }

    [Theory]
    [InlineData("orders", true)]
    [InlineData("orders.fifo", true)]
    [InlineData("my_queue-1", true)]
    [InlineData(".fifo", false)]
    [InlineData("bad name", false)]
    [InlineData("async/fn", false)] // the internal queues of asynchronous invocation are out of the API's reach
    [InlineData("", false)]
    public void QueueNames_FollowSqsRules(string name, bool valid) => Assert.Equal(valid, QueueNames.IsValid(name));
}

using System.Text;
using LambdaCluster.Grains.EventSources;
using Xunit;

namespace LambdaCluster.Tests.Unit;

/// <summary>Lambda's rules for a partial batch response: what counts as success, as a partial failure, and as a whole-batch failure (null).</summary>
[Trait("Category", "Unit")]
public sealed class BatchItemFailuresTests
{
    private static readonly HashSet<string> Batch = ["m1", "m2", "m3"];

    [Theory]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("{\"batchItemFailures\":[]}")]
    [InlineData("{\"batchItemFailures\":null}")]
    [InlineData("\"\"")]
    public void EmptyResponses_MeanEveryItemSucceeded(string response) =>
        Assert.Empty(BatchItemFailures.Parse(Encoding.UTF8.GetBytes(response), Batch)!);

    [Fact]
    public void ReportedItems_AreTheFailures() =>
        Assert.Equal(["m1", "m3"], BatchItemFailures.Parse("{\"batchItemFailures\":[{\"itemIdentifier\":\"m3\"},{\"itemIdentifier\":\"m1\"}]}"u8.ToArray(), Batch)!.Order());

    [Theory]
    [InlineData("{\"batchItemFailures\":[{\"itemIdentifier\":\"\"}]}")] // empty identifier
    [InlineData("{\"batchItemFailures\":[{\"itemIdentifier\":null}]}")]
    [InlineData("{\"batchItemFailures\":[{\"itemIdentifier\":\"m9\"}]}")] // not in the batch
    [InlineData("{\"batchItemFailures\":[{\"id\":\"m1\"}]}")] // wrong key
    [InlineData("{\"batchItemFailure\":[]}")] // wrong key name
    [InlineData("{\"batchItemFailures\":\"m1\"}")]
    [InlineData("[1,2]")]
    [InlineData("not json")]
    public void AnythingElse_FailsTheWholeBatch(string response) =>
        Assert.Null(BatchItemFailures.Parse(Encoding.UTF8.GetBytes(response), Batch));
}

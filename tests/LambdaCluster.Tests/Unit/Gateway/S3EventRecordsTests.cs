using System.Text.Json.Nodes;
using LambdaCluster.Gateway.S3;
using Xunit;

namespace LambdaCluster.Tests.Unit.Gateway;

/// <summary>Lambda's aws:s3 event, from this cluster's own object changes and from another store's records.</summary>
[Trait("Category", "Unit")]
public sealed class S3EventRecordsTests
{
    [Fact]
    public void OwnEvent_HasS3sShape_WithTheKeyUrlEncoded()
    {
        var stored = new StoredObject("incoming/my report+1.csv", 42, "\"0123abcd\"", DateTimeOffset.UnixEpoch, "text/csv", [], "body");
        var at = new DateTimeOffset(2026, 12, 1, 6, 0, 0, TimeSpan.Zero);
        var record = JsonNode.Parse(S3EventRecords.For("us-east-1", "uploads", stored, "ObjectCreated:Put", "process", "req-1", "127.0.0.1", at))!["Records"]![0]!;
        Assert.Equal("2.1", record["eventVersion"]!.GetValue<string>());
        Assert.Equal("aws:s3", record["eventSource"]!.GetValue<string>());
        Assert.Equal("ObjectCreated:Put", record["eventName"]!.GetValue<string>());
        Assert.Equal("2026-12-01T06:00:00.000Z", record["eventTime"]!.GetValue<string>());
        Assert.Equal("arn:aws:s3:::uploads", record["s3"]!["bucket"]!["arn"]!.GetValue<string>());
        Assert.Equal("process", record["s3"]!["configurationId"]!.GetValue<string>());
        var @object = record["s3"]!["object"]!;
        Assert.Equal("incoming/my+report%2B1.csv", @object["key"]!.GetValue<string>());
        Assert.Equal(42, @object["size"]!.GetValue<long>());
        Assert.Equal("0123abcd", @object["eTag"]!.GetValue<string>());

        var removed = JsonNode.Parse(S3EventRecords.For("us-east-1", "uploads", stored, "ObjectRemoved:Delete", "process", "req-2", "127.0.0.1", at))!["Records"]![0]!["s3"]!["object"]!;
        Assert.Null(removed["size"]); // S3 sends only the key and sequencer for a delete
        Assert.NotNull(removed["sequencer"]);
    }

    [Fact]
    public void ForeignRecord_BecomesLambdas_AndOneWithoutBucketOrKeyIsRefused()
    {
        var minio = JsonNode.Parse("""{"eventVersion":"2.0","eventSource":"minio:s3","awsRegion":"","eventName":"s3:ObjectCreated:Put","s3":{"bucket":{"name":"photos"},"object":{"key":"a.jpg","size":1}}}""")!.AsObject();
        var record = JsonNode.Parse(S3EventRecords.Normalized(minio, "eu-west-1"))!["Records"]![0]!;
        Assert.Equal("aws:s3", record["eventSource"]!.GetValue<string>());
        Assert.Equal("ObjectCreated:Put", record["eventName"]!.GetValue<string>());
        Assert.Equal("eu-west-1", record["awsRegion"]!.GetValue<string>());
        Assert.Equal("arn:aws:s3:::photos", record["s3"]!["bucket"]!["arn"]!.GetValue<string>());
        Assert.Equal("2.0", record["eventVersion"]!.GetValue<string>());

        Assert.Throws<FormatException>(() => S3EventRecords.Normalized(JsonNode.Parse("""{"s3":{"bucket":{"name":"photos"}}}""")!.AsObject(), "us-east-1"));
    }
}

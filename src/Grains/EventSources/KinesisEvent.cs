using System.Globalization;
using System.Text.Json.Nodes;
using LambdaCluster.Grains.Streams;

namespace LambdaCluster.Grains.EventSources;

/// <summary>Lambda's aws:kinesis event for a batch of one shard, and the record a discarded batch sends to its on-failure destination.</summary>
public static class KinesisEvent
{
    public static byte[] Build(IReadOnlyList<StreamRecord> batch, string shardId, string streamArn, string region, string invokeIdentityArn)
    {
        var records = new JsonArray(batch.Select(r => (JsonNode)new JsonObject
        {
            ["kinesis"] = new JsonObject
            {
                ["kinesisSchemaVersion"] = "1.0",
                ["partitionKey"] = r.PartitionKey,
                ["sequenceNumber"] = r.SequenceNumber,
                ["data"] = Convert.ToBase64String(r.Data),
                ["approximateArrivalTimestamp"] = r.ArrivalMs / 1000.0,
            },
            ["eventSource"] = "aws:kinesis",
            ["eventVersion"] = "1.0",
            ["eventID"] = $"{shardId}:{r.SequenceNumber}",
            ["eventName"] = "aws:kinesis:record",
            ["invokeIdentityArn"] = invokeIdentityArn,
            ["awsRegion"] = region,
            ["eventSourceARN"] = streamArn,
        }).ToArray());
        return System.Text.Encoding.UTF8.GetBytes(new JsonObject { ["Records"] = records }.ToJsonString());
    }

    /// <summary>The on-failure record: the request and response context and where the batch was, not its data.</summary>
    public static string FailureRecord(IReadOnlyList<StreamRecord> batch, string shardId, string streamArn, string functionArn, string condition, int invokeCount, string? executedVersion, DateTimeOffset now)
    {
        static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["requestContext"] = new JsonObject
            {
                ["requestId"] = Guid.NewGuid().ToString(),
                ["functionArn"] = functionArn,
                ["condition"] = condition,
                ["approximateInvokeCount"] = invokeCount,
            },
            ["responseContext"] = new JsonObject
            {
                ["statusCode"] = 200,
                ["executedVersion"] = executedVersion ?? "$LATEST",
                ["functionError"] = "Unhandled",
            },
            ["version"] = "1.0",
            ["timestamp"] = Iso(now.ToUnixTimeMilliseconds()),
            ["KinesisBatchInfo"] = new JsonObject
            {
                ["shardId"] = shardId,
                ["startSequenceNumber"] = batch[0].SequenceNumber,
                ["endSequenceNumber"] = batch[^1].SequenceNumber,
                ["approximateArrivalOfFirstRecord"] = Iso(batch[0].ArrivalMs),
                ["approximateArrivalOfLastRecord"] = Iso(batch[^1].ArrivalMs),
                ["batchSize"] = batch.Count,
                ["streamArn"] = streamArn,
            },
        }.ToJsonString();
    }
}

using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace LambdaCluster.Gateway.S3;

/// <summary>
/// The <c>aws:s3</c> event Lambda gets from S3 (https://docs.aws.amazon.com/lambda/latest/dg/with-s3.html,
/// https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html): one record per event,
/// its key URL-encoded (spaces as '+'), the eTag unquoted.
/// </summary>
public static class S3EventRecords
{
    /// <summary>The event for one object change of this cluster's own object API.</summary>
    public static byte[] For(string region, string bucket, StoredObject stored, string eventName, string configurationId, string requestId, string sourceIp, DateTimeOffset at)
    {
        var @object = new JsonObject
        {
            ["key"] = WebUtility.UrlEncode(stored.Key).Replace("%2F", "/", StringComparison.Ordinal),
        };
        if (eventName.StartsWith("ObjectCreated:", StringComparison.Ordinal))
        {
            @object["size"] = stored.Size;
            @object["eTag"] = stored.ETag.Trim('"');
        }

        @object["sequencer"] = at.UtcTicks.ToString("X18", CultureInfo.InvariantCulture);
        var record = new JsonObject
        {
            ["eventVersion"] = "2.1",
            ["eventSource"] = "aws:s3",
            ["awsRegion"] = region,
            ["eventTime"] = S3Xml.Timestamp(at),
            ["eventName"] = eventName,
            ["userIdentity"] = new JsonObject { ["principalId"] = "lambda-cluster" },
            ["requestParameters"] = new JsonObject { ["sourceIPAddress"] = sourceIp },
            ["responseElements"] = new JsonObject { ["x-amz-request-id"] = requestId, ["x-amz-id-2"] = requestId },
            ["s3"] = new JsonObject
            {
                ["s3SchemaVersion"] = "1.0",
                ["configurationId"] = configurationId,
                ["bucket"] = new JsonObject
                {
                    ["name"] = bucket,
                    ["ownerIdentity"] = new JsonObject { ["principalId"] = "lambda-cluster" },
                    ["arn"] = $"arn:aws:s3:::{bucket}",
                },
                ["object"] = @object,
            },
        };
        return Event(record);
    }

    /// <summary>
    /// One record of another object store's notification (MinIO's or Ceph RGW's S3-format record) as Lambda's: the event
    /// source <c>aws:s3</c>, the event name without its <c>s3:</c> prefix, the region and bucket ARN filled in when
    /// missing. Throws FormatException when the record lacks its bucket name or object key.
    /// </summary>
    public static byte[] Normalized(JsonObject record, string region)
    {
        var copy = (JsonObject)record.DeepClone();
        var bucket = copy["s3"]?["bucket"]?["name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(bucket) || copy["s3"]?["object"]?["key"] is not JsonValue)
        {
            throw new FormatException("a record needs s3.bucket.name and s3.object.key");
        }

        copy["eventVersion"] ??= "2.1";
        copy["eventSource"] = "aws:s3";
        if (copy["awsRegion"]?.GetValue<string>() is null or "")
        {
            copy["awsRegion"] = region;
        }

        if (copy["eventName"]?.GetValue<string>() is { } name && name.StartsWith("s3:", StringComparison.Ordinal))
        {
            copy["eventName"] = name[3..];
        }

        copy["s3"]!["bucket"]!["arn"] ??= $"arn:aws:s3:::{bucket}";
        return Event(copy);
    }

    private static byte[] Event(JsonObject record) => System.Text.Encoding.UTF8.GetBytes(new JsonObject { ["Records"] = new JsonArray(record) }.ToJsonString());
}

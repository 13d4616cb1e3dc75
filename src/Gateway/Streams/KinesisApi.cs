using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LambdaCluster.Gateway.Http;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Grains.Streams;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.Streams;

/// <summary>
/// The Kinesis Data Streams subset clients use (JSON 1.1, <c>X-Amz-Target: Kinesis_20131202.*</c>): CreateStream,
/// DescribeStream, DescribeStreamSummary, ListStreams, ListShards, PutRecord, PutRecords, GetShardIterator, GetRecords,
/// DeleteStream. A stream is an <see cref="IStreamGrain"/>, each shard an <see cref="IShardGrain"/>.
/// </summary>
public sealed class KinesisApi(IGrainFactory grains, IOptions<NodeOptions> node, TimeProvider time)
{
    public const string TargetPrefix = "Kinesis_20131202.";

    private const int MaxRecordBytes = 1024 * 1024;

    private string Region => node.Value.Region;

    private string Account => node.Value.AccountId;

    public async Task HandleAsync(HttpContext http)
    {
        var target = http.Request.Headers["X-Amz-Target"].ToString();
        try
        {
            var input = JsonProtocolBody.Read(http) ?? throw new KinesisException("SerializationException", "The request body is not valid JSON.");

            JsonObject output = target[TargetPrefix.Length..] switch
            {
                "CreateStream" => await CreateStreamAsync(input),
                "DescribeStream" => await DescribeStreamAsync(input),
                "DescribeStreamSummary" => await DescribeStreamSummaryAsync(input),
                "ListStreams" => await ListStreamsAsync(input),
                "ListShards" => await ListShardsAsync(input),
                "PutRecord" => await PutRecordAsync(input),
                "PutRecords" => await PutRecordsAsync(input),
                "GetShardIterator" => await GetShardIteratorAsync(input),
                "GetRecords" => await GetRecordsAsync(input),
                "DeleteStream" => await DeleteStreamAsync(input),
                var other => throw new KinesisException("UnknownOperationException", $"Operation {other} is not supported by this endpoint."),
            };
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = "application/x-amz-json-1.1";
            await http.Response.WriteAsync(output.ToJsonString());
        }
        catch (KinesisException e)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            http.Response.ContentType = "application/x-amz-json-1.1";
            http.Response.Headers["x-amzn-ErrorType"] = e.Code;
            await http.Response.WriteAsync(new JsonObject { ["__type"] = e.Code, ["message"] = e.Message }.ToJsonString());
        }
    }

    private async Task<JsonObject> CreateStreamAsync(JsonObject input)
    {
        var name = Name(input);
        var mode = (input["StreamModeDetails"] as JsonObject)?["StreamMode"]?.GetValue<string>() ?? "PROVISIONED";
        var shards = Int(input, "ShardCount", 1, 200) ?? (mode == "ON_DEMAND" ? 4 : throw new KinesisException("InvalidArgumentException", "ShardCount is required for a PROVISIONED stream."));
        if (!await grains.GetGrain<IStreamGrain>(name).CreateAsync(shards))
        {
            throw new KinesisException("ResourceInUseException", $"Stream {name} under account {Account} already exists.");
        }

        return [];
    }

    private async Task<JsonObject> DescribeStreamAsync(JsonObject input)
    {
        var info = await InfoAsync(input);
        var description = Summary(info);
        description.Remove("OpenShardCount");
        description.Remove("ConsumerCount");
        description["Shards"] = Shards(info, 0, info.ShardCount);
        description["HasMoreShards"] = false;
        return new JsonObject { ["StreamDescription"] = description };
    }

    private async Task<JsonObject> DescribeStreamSummaryAsync(JsonObject input) =>
        new() { ["StreamDescriptionSummary"] = Summary(await InfoAsync(input)) };

    private async Task<JsonObject> ListStreamsAsync(JsonObject input)
    {
        var limit = Int(input, "Limit", 1, 10_000) ?? 100;
        var start = String(input, "ExclusiveStartStreamName") ?? String(input, "NextToken");
        var names = await grains.GetGrain<IFunctionRegistryGrain>(RegistryKeys.Streams(Account)).ListAsync(start, limit + 1);
        var page = names.Take(limit).ToList();
        var infos = await Task.WhenAll(page.Select(n => grains.GetGrain<IStreamGrain>(n).DescribeAsync()));
        var output = new JsonObject
        {
            ["StreamNames"] = new JsonArray(page.Select(n => (JsonNode)n).ToArray()),
            ["HasMoreStreams"] = names.Count > limit,
            ["StreamSummaries"] = new JsonArray(infos.OfType<StreamInfo>().Select(i => (JsonNode)new JsonObject
            {
                ["StreamName"] = i.Name,
                ["StreamARN"] = StreamKeys.Arn(Region, Account, i.Name),
                ["StreamStatus"] = "ACTIVE",
                ["StreamModeDetails"] = new JsonObject { ["StreamMode"] = i.StreamMode },
                ["StreamCreationTimestamp"] = Seconds(i.Created),
            }).ToArray()),
        };
        if (names.Count > limit)
        {
            output["NextToken"] = page[^1];
        }

        return output;
    }

    private async Task<JsonObject> ListShardsAsync(JsonObject input)
    {
        var next = String(input, "NextToken") is { } token ? ListShardsToken(token) : ((string Stream, int From)?)null;
        var info = await InfoAsync(input, next?.Stream);
        var max = Int(input, "MaxResults", 1, 10_000) ?? 1000;
        var from = next?.From ?? (String(input, "ExclusiveStartShardId") is { } exclusive ? (StreamKeys.ShardIndex(exclusive) ?? -1) + 1 : 0);
        from = Math.Clamp(from, 0, info.ShardCount);
        var to = Math.Min(info.ShardCount, from + max);
        var output = new JsonObject { ["Shards"] = Shards(info, from, to) };
        if (to < info.ShardCount)
        {
            output["NextToken"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{info.Name}|{to}"));
        }

        return output;
    }

    private async Task<JsonObject> PutRecordAsync(JsonObject input)
    {
        var info = await InfoAsync(input);
        var record = Record(input);
        var put = (await grains.GetGrain<IStreamGrain>(info.Name).PutAsync([record]))[0];
        return new JsonObject { ["ShardId"] = StreamKeys.ShardId(put.Shard), ["SequenceNumber"] = put.SequenceNumber, ["EncryptionType"] = "NONE" };
    }

    private async Task<JsonObject> PutRecordsAsync(JsonObject input)
    {
        var info = await InfoAsync(input);
        var entries = input["Records"] as JsonArray ?? throw new KinesisException("InvalidArgumentException", "Records is required.");
        if (entries.Count is 0 or > 500)
        {
            throw new KinesisException("InvalidArgumentException", $"1 validation error detected: Value at 'records' failed to satisfy constraint: Member must have length between 1 and 500 (it has {entries.Count}).");
        }

        var records = entries.Select(e => Record(e as JsonObject ?? throw new KinesisException("InvalidArgumentException", "A record must be an object."))).ToList();
        if (records.Sum(r => r.Data.Length + Encoding.UTF8.GetByteCount(r.PartitionKey)) > 5 * MaxRecordBytes)
        {
            throw new KinesisException("InvalidArgumentException", "Records size exceeds 5 MB limit");
        }

        var put = await grains.GetGrain<IStreamGrain>(info.Name).PutAsync(records);
        return new JsonObject
        {
            ["FailedRecordCount"] = 0,
            ["Records"] = new JsonArray(put.Select(p => (JsonNode)new JsonObject { ["SequenceNumber"] = p.SequenceNumber, ["ShardId"] = StreamKeys.ShardId(p.Shard) }).ToArray()),
            ["EncryptionType"] = "NONE",
        };
    }

    private async Task<JsonObject> GetShardIteratorAsync(JsonObject input)
    {
        var info = await InfoAsync(input);
        var shardId = String(input, "ShardId") ?? throw new KinesisException("InvalidArgumentException", "ShardId is required.");
        if (StreamKeys.ShardIndex(shardId) is not { } index || index >= info.ShardCount)
        {
            throw new KinesisException("ResourceNotFoundException", $"Shard {shardId} in stream {info.Name} under account {Account} does not exist");
        }

        var shard = grains.GetGrain<IShardGrain>(StreamKeys.ShardGrainKey(info.Name, index));
        string? Sequence()
        {
            var value = String(input, "StartingSequenceNumber") ?? throw new KinesisException("InvalidArgumentException", "StartingSequenceNumber is required for this iterator type.");
            return StreamKeys.IsValidSequenceNumber(value) ? value : throw new KinesisException("InvalidArgumentException", $"StartingSequenceNumber {value} used in GetShardIterator on shard {shardId} in stream {info.Name} under account {Account} is invalid.");
        }

        var position = String(input, "ShardIteratorType") switch
        {
            "TRIM_HORIZON" => ShardPosition.TrimHorizon,
            "LATEST" => await shard.LatestAsync() is { } latest ? ShardPosition.After(latest) : ShardPosition.TrimHorizon,
            "AT_SEQUENCE_NUMBER" => new ShardPosition(Sequence(), true, null),
            "AFTER_SEQUENCE_NUMBER" => ShardPosition.After(Sequence()!),
            "AT_TIMESTAMP" => new ShardPosition(null, false, input["Timestamp"] is JsonValue at && at.TryGetValue<double>(out var seconds) && double.IsFinite(seconds)
                ? (long)(seconds * 1000)
                : throw new KinesisException("InvalidArgumentException", "Timestamp is required for AT_TIMESTAMP, in seconds since the epoch.")),
            var other => throw new KinesisException("InvalidArgumentException", $"1 validation error detected: Value '{other}' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, TRIM_HORIZON, LATEST, AT_TIMESTAMP]"),
        };
        return new JsonObject { ["ShardIterator"] = ShardIterators.Encode(info.Name, index, position, time.GetUtcNow()) };
    }

    private async Task<JsonObject> GetRecordsAsync(JsonObject input)
    {
        var token = String(input, "ShardIterator") ?? throw new KinesisException("InvalidArgumentException", "ShardIterator is required.");
        var iterator = ShardIterators.Decode(token, time.GetUtcNow());
        var limit = Int(input, "Limit", 1, 10_000) ?? 10_000;
        var info = await grains.GetGrain<IStreamGrain>(iterator.Stream).DescribeAsync() ?? throw NotFound(iterator.Stream);
        var read = await grains.GetGrain<IShardGrain>(StreamKeys.ShardGrainKey(iterator.Stream, iterator.Shard)).ReadAsync(iterator.Position, limit, info.RetentionPeriodHours);
        var next = read.Records.Count > 0 ? ShardPosition.After(read.Records[^1].SequenceNumber) : iterator.Position;
        return new JsonObject
        {
            ["Records"] = new JsonArray(read.Records.Select(r => (JsonNode)new JsonObject
            {
                ["SequenceNumber"] = r.SequenceNumber,
                ["ApproximateArrivalTimestamp"] = r.ArrivalMs / 1000.0,
                ["Data"] = Convert.ToBase64String(r.Data),
                ["PartitionKey"] = r.PartitionKey,
            }).ToArray()),
            ["NextShardIterator"] = ShardIterators.Encode(iterator.Stream, iterator.Shard, next, time.GetUtcNow()),
            ["MillisBehindLatest"] = read.MillisBehindLatest,
        };
    }

    private async Task<JsonObject> DeleteStreamAsync(JsonObject input)
    {
        var name = StreamName(input);
        if (!await grains.GetGrain<IStreamGrain>(name).DeleteAsync())
        {
            throw NotFound(name);
        }

        return [];
    }

    private (string PartitionKey, string? ExplicitHashKey, byte[] Data) Record(JsonObject input)
    {
        var key = String(input, "PartitionKey");
        if (key is not { Length: > 0 and <= 256 })
        {
            throw new KinesisException("InvalidArgumentException", "1 validation error detected: Value at 'partitionKey' failed to satisfy constraint: Member must have length between 1 and 256");
        }

        var explicitHashKey = String(input, "ExplicitHashKey");
        if (explicitHashKey is not null && !StreamKeys.IsValidHashKey(explicitHashKey))
        {
            throw new KinesisException("InvalidArgumentException", $"Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was {explicitHashKey}");
        }

        byte[] data;
        try
        {
            data = Convert.FromBase64String(String(input, "Data") ?? throw new KinesisException("InvalidArgumentException", "Data is required."));
        }
        catch (FormatException)
        {
            throw new KinesisException("SerializationException", "Data is not valid base64.");
        }

        return data.Length + Encoding.UTF8.GetByteCount(key) > MaxRecordBytes
            ? throw new KinesisException("InvalidArgumentException", $"1 validation error detected: Value at 'data' failed to satisfy constraint: Member must have length less than or equal to {MaxRecordBytes}")
            : (key, explicitHashKey, data);
    }

    private async Task<StreamInfo> InfoAsync(JsonObject input, string? name = null)
    {
        name ??= StreamName(input);
        return await grains.GetGrain<IStreamGrain>(name).DescribeAsync() ?? throw NotFound(name);
    }

    /// <summary>StreamName, or the name in StreamARN.</summary>
    private string StreamName(JsonObject input)
    {
        if (String(input, "StreamARN") is { } arn)
        {
            return StreamKeys.FromArn(arn, Region, Account) ?? throw new KinesisException("ResourceNotFoundException", $"Stream {arn} not found.");
        }

        return Name(input);
    }

    private static string Name(JsonObject input)
    {
        var name = String(input, "StreamName") ?? throw new KinesisException("InvalidArgumentException", "StreamName is required.");
        return StreamKeys.IsValidName(name) ? name : throw new KinesisException("InvalidArgumentException", $"1 validation error detected: Value '{name}' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
    }

    private JsonObject Summary(StreamInfo info) => new()
    {
        ["StreamName"] = info.Name,
        ["StreamARN"] = StreamKeys.Arn(Region, Account, info.Name),
        ["StreamStatus"] = "ACTIVE",
        ["StreamModeDetails"] = new JsonObject { ["StreamMode"] = info.StreamMode },
        ["RetentionPeriodHours"] = info.RetentionPeriodHours,
        ["StreamCreationTimestamp"] = Seconds(info.Created),
        ["EnhancedMonitoring"] = new JsonArray(new JsonObject { ["ShardLevelMetrics"] = new JsonArray() }),
        ["EncryptionType"] = "NONE",
        ["OpenShardCount"] = info.ShardCount,
        ["ConsumerCount"] = 0,
    };

    private static JsonArray Shards(StreamInfo info, int from, int to) =>
        new(Enumerable.Range(from, Math.Max(0, to - from)).Select(i =>
        {
            var (start, end) = StreamKeys.HashKeyRange(i, info.ShardCount);
            return (JsonNode)new JsonObject
            {
                ["ShardId"] = StreamKeys.ShardId(i),
                ["HashKeyRange"] = new JsonObject { ["StartingHashKey"] = start, ["EndingHashKey"] = end },
                ["SequenceNumberRange"] = new JsonObject { ["StartingSequenceNumber"] = StreamKeys.SequenceNumber(i, 0) },
            };
        }).ToArray());

    private static double Seconds(DateTimeOffset at) => at.ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>The stream and first shard index a ListShards NextToken (base64 of "stream|index") names; anything else is InvalidArgumentException.</summary>
    private static (string Stream, int From) ListShardsToken(string token)
    {
        var bytes = new byte[token.Length];
        if (Convert.TryFromBase64String(token, bytes, out var written)
            && Encoding.UTF8.GetString(bytes, 0, written).Split('|') is [var stream, var index]
            && StreamKeys.IsValidName(stream)
            && int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var from))
        {
            return (stream, from);
        }

        throw new KinesisException("InvalidArgumentException", "NextToken is not valid.");
    }

    private static string? String(JsonObject input, string name) => input[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => throw new KinesisException("SerializationException", $"{name} must be a string."),
    };

    private static int? Int(JsonObject input, string name, int min, int max)
    {
        if (input[name] is null)
        {
            return null;
        }

        return input[name] is JsonValue v && v.TryGetValue<int>(out var i) && i >= min && i <= max
            ? i
            : throw new KinesisException("InvalidArgumentException", $"1 validation error detected: Value '{input[name]!.ToJsonString()}' at '{char.ToLowerInvariant(name[0])}{name[1..]}' failed to satisfy constraint: Member must have value between {min} and {max}");
    }

    private KinesisException NotFound(string name) => new("ResourceNotFoundException", $"Stream {name} under account {Account} not found.");
}

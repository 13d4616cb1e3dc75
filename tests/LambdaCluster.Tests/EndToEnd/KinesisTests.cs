using System.Text;
using System.Text.Json;
using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// The stream service through `aws kinesis` and Kinesis event source mappings: records delivered in order per shard,
/// a poison record bisected out and sent to the on-failure destination, and hostile requests refused.
/// </summary>
[Collection(NodeCollection.Name), Trait("Category", "EndToEnd")]
public sealed class KinesisTests(NodeFixture fixture)
{
    /// <summary>Logs every record it gets; fails the whole batch when one of them says "poison".</summary>
    private const string Consumer = """
        import base64
        def handler(event, context):
            records = [(r["kinesis"]["partitionKey"], base64.b64decode(r["kinesis"]["data"]).decode(), r["eventID"].split(":")[0]) for r in event["Records"]]
            if any(data == "poison" for _, data, _ in records):
                raise ValueError("poison in a batch of %d" % len(records))
            for key, data, shard in records:
                print(f"rec {shard} {key} {data}")
        """;

    private NodeProcess Node => fixture.Node;

    [Fact]
    public async Task StreamApi_PutsAndReadsRecords_ByShardAndIterator()
    {
        await Kinesis("create-stream", "--stream-name", "api-stream", "--shard-count", "2");
        await Kinesis("wait", "stream-exists", "--stream-name", "api-stream");
        var description = Tools.Json(await Kinesis("describe-stream", "--stream-name", "api-stream")).GetProperty("StreamDescription");
        Assert.Equal("ACTIVE", description.GetProperty("StreamStatus").GetString());
        var shards = description.GetProperty("Shards").EnumerateArray().ToList();
        Assert.Equal(["shardId-000000000000", "shardId-000000000001"], shards.Select(s => s.GetProperty("ShardId").GetString()));
        Assert.Equal("0", shards[0].GetProperty("HashKeyRange").GetProperty("StartingHashKey").GetString());
        Assert.Equal("340282366920938463463374607431768211455", shards[1].GetProperty("HashKeyRange").GetProperty("EndingHashKey").GetString());

        var first = Tools.Json(await Kinesis("put-record", "--stream-name", "api-stream", "--partition-key", "p", "--data", Blob("one")));
        var shard = first.GetProperty("ShardId").GetString()!;
        await Kinesis("put-records", "--stream-name", "api-stream", "--records", $"Data={Blob("two")},PartitionKey=p", $"Data={Blob("three")},PartitionKey=p");

        var iterator = Tools.Json(await Kinesis("get-shard-iterator", "--stream-name", "api-stream", "--shard-id", shard, "--shard-iterator-type", "TRIM_HORIZON")).GetProperty("ShardIterator").GetString()!;
        var read = Tools.Json(await Kinesis("get-records", "--shard-iterator", iterator));
        Assert.Equal(["one", "two", "three"], read.GetProperty("Records").EnumerateArray().Select(r => Encoding.UTF8.GetString(Convert.FromBase64String(r.GetProperty("Data").GetString()!))));
        var next = Tools.Json(await Kinesis("get-records", "--shard-iterator", read.GetProperty("NextShardIterator").GetString()!));
        Assert.Empty(next.GetProperty("Records").EnumerateArray());

        var after = Tools.Json(await Kinesis("get-shard-iterator", "--stream-name", "api-stream", "--shard-id", shard, "--shard-iterator-type", "AFTER_SEQUENCE_NUMBER",
            "--starting-sequence-number", first.GetProperty("SequenceNumber").GetString()!)).GetProperty("ShardIterator").GetString()!;
        Assert.Equal("two", Encoding.UTF8.GetString(Convert.FromBase64String(Tools.Json(await Kinesis("get-records", "--shard-iterator", after, "--limit", "1")).GetProperty("Records")[0].GetProperty("Data").GetString()!)));

        Assert.Contains("ResourceInUseException", await KinesisError("create-stream", "--stream-name", "api-stream", "--shard-count", "1"));
        Assert.Contains("ResourceNotFoundException", await KinesisError("describe-stream", "--stream-name", "no-such-stream"));
        Assert.Contains("InvalidArgumentException", await KinesisError("get-records", "--shard-iterator", "Zm9yZ2Vk"));
        Assert.Contains("InvalidArgumentException", await KinesisError("put-record", "--stream-name", "api-stream", "--partition-key", new string('k', 300), "--data", Blob("x")));
        Assert.Contains("ResourceNotFoundException", await KinesisError("get-shard-iterator", "--stream-name", "api-stream", "--shard-id", "shardId-000000000007", "--shard-iterator-type", "LATEST"));
        await Kinesis("delete-stream", "--stream-name", "api-stream");
        Assert.Contains("ResourceNotFoundException", await KinesisError("describe-stream-summary", "--stream-name", "api-stream"));
    }

    [Fact]
    public async Task Mapping_DeliversRecordsInOrderPerShard()
    {
        await Kinesis("create-stream", "--stream-name", "ordered", "--shard-count", "2");
        await FunctionAsync("kinesis-ordered");
        var put = await Tools.BotoScriptAsync(Node, "kinesis_put.py", "ordered", "24"); // PutRecord 24 times, in order
        Assert.True(put.ExitCode == 0 && put.Stdout.Trim() == "ok", put.Stderr);

        var mapping = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "create-event-source-mapping", "--function-name", "kinesis-ordered",
            "--event-source-arn", "arn:aws:kinesis:us-east-1:000000000000:stream/ordered", "--starting-position", "TRIM_HORIZON", "--batch-size", "5"));
        Assert.Equal("TRIM_HORIZON", mapping.GetProperty("StartingPosition").GetString());
        Assert.Equal(-1, mapping.GetProperty("MaximumRetryAttempts").GetInt32());

        var records = await RecordsAsync("kinesis-ordered", 24);
        Assert.Equal(24, records.Count);
        foreach (var perShard in records.GroupBy(r => r.Shard))
        {
            var values = perShard.Select(r => int.Parse(r.Data, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(values.Order(), values); // the put order, within each shard
        }

        Assert.Equal(2, records.Select(r => r.Shard).Distinct().Count());
    }

    [Fact]
    public async Task PoisonRecord_IsBisectedOut_AndSentToTheOnFailureDestination()
    {
        await Kinesis("create-stream", "--stream-name", "poisoned", "--shard-count", "1");
        var failures = Tools.Json(await Tools.AwsOkAsync(Node, "sqs", "create-queue", "--queue-name", "kinesis-failures")).GetProperty("QueueUrl").GetString()!;
        await FunctionAsync("kinesis-poisoned");
        string? poisonSequence = null;
        foreach (var data in new[] { "a", "b", "c", "poison", "d", "e" })
        {
            var put = Tools.Json(await Kinesis("put-record", "--stream-name", "poisoned", "--partition-key", "same", "--data", Blob(data)));
            poisonSequence = data == "poison" ? put.GetProperty("SequenceNumber").GetString() : poisonSequence;
        }

        await Tools.AwsOkAsync(Node, "lambda", "create-event-source-mapping", "--function-name", "kinesis-poisoned",
            "--event-source-arn", "arn:aws:kinesis:us-east-1:000000000000:stream/poisoned", "--starting-position", "TRIM_HORIZON", "--batch-size", "6",
            "--bisect-batch-on-function-error", "--maximum-retry-attempts", "1",
            "--destination-config", """{"OnFailure":{"Destination":"arn:aws:sqs:us-east-1:000000000000:kinesis-failures"}}""");

        var received = Tools.Json(await Tools.AwsOkAsync(Node, "sqs", "receive-message", "--queue-url", failures, "--wait-time-seconds", "20"));
        var record = JsonDocument.Parse(received.GetProperty("Messages")[0].GetProperty("Body").GetString()!).RootElement;
        Assert.Equal("RetryAttemptsExhausted", record.GetProperty("requestContext").GetProperty("condition").GetString());
        var batch = record.GetProperty("KinesisBatchInfo");
        Assert.Equal(1, batch.GetProperty("batchSize").GetInt32());
        Assert.Equal(poisonSequence, batch.GetProperty("startSequenceNumber").GetString());
        Assert.Equal("shardId-000000000000", batch.GetProperty("shardId").GetString());
        Assert.Equal("arn:aws:kinesis:us-east-1:000000000000:stream/poisoned", batch.GetProperty("streamArn").GetString());

        var processed = await RecordsAsync("kinesis-poisoned", 5);
        Assert.Equal(["a", "b", "c", "d", "e"], processed.Select(r => r.Data).Distinct().Order());
    }

    [Fact]
    public async Task InvalidStreamMappings_AreRefused()
    {
        await Kinesis("create-stream", "--stream-name", "mapping-checks", "--shard-count", "1");
        await FunctionAsync("kinesis-checks");
        const string arn = "arn:aws:kinesis:us-east-1:000000000000:stream/mapping-checks";
        Assert.Contains("startingPosition", await MappingErrorAsync("--function-name", "kinesis-checks", "--event-source-arn", arn));
        Assert.Contains("Stream not found", await MappingErrorAsync("--function-name", "kinesis-checks", "--event-source-arn", "arn:aws:kinesis:us-east-1:000000000000:stream/missing", "--starting-position", "LATEST"));
        Assert.Contains("ValidationException", await MappingErrorAsync("--function-name", "kinesis-checks", "--event-source-arn", arn, "--starting-position", "LATEST", "--parallelization-factor", "11"));
        Assert.Contains("InvalidParameterValueException", await MappingErrorAsync("--function-name", "kinesis-checks", "--event-source-arn", arn, "--starting-position", "LATEST", "--scaling-config", "MaximumConcurrency=5"));
        Assert.Empty(Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "list-event-source-mappings", "--event-source-arn", arn)).GetProperty("EventSourceMappings").EnumerateArray());
    }

    /// <summary>The records the consumer logged, waiting until at least <paramref name="expected"/> are there.</summary>
    private async Task<List<(string Shard, string Key, string Data)>> RecordsAsync(string function, int expected)
    {
        List<(string, string, string)> records = [];
        for (var i = 0; i < 60 && records.Count < expected; i++)
        {
            await Task.Delay(500);
            var events = await Tools.LogEventsAsync(Node, $"/aws/lambda/{function}", "rec");
            records = [.. events.EnumerateArray()
                .Select(e => e.GetProperty("message").GetString()!.Trim())
                .Where(m => m.StartsWith("rec ", StringComparison.Ordinal))
                .Select(m => m.Split(' '))
                .Select(p => (p[1], p[2], p[3]))];
        }

        return records;
    }

    private async Task FunctionAsync(string name)
    {
        var zip = Tools.Zip(fixture.WorkDirectory, ("app.py", Consumer + "\n"));
        await Tools.AwsOkAsync(Node, "lambda", "create-function", "--function-name", name, "--runtime", "python3.12", "--handler", "app.handler", "--role", Functions.Role, "--zip-file", $"fileb://{zip}");
    }

    private Task<string> Kinesis(params string[] arguments) => Tools.AwsOkAsync(Node, ["kinesis", .. arguments]);

    private async Task<string> KinesisError(params string[] arguments)
    {
        var result = await Tools.AwsAsync(Node, ["kinesis", .. arguments]);
        Assert.True(result.ExitCode != 0, $"aws kinesis {string.Join(' ', arguments)} succeeded: {result.Stdout}");
        return result.Stderr;
    }

    private async Task<string> MappingErrorAsync(params string[] arguments)
    {
        var result = await Tools.AwsAsync(Node, ["lambda", "create-event-source-mapping", .. arguments]);
        Assert.True(result.ExitCode != 0, $"create-event-source-mapping {string.Join(' ', arguments)} succeeded: {result.Stdout}");
        return result.Stderr;
    }

    /// <summary>The aws CLI v1 takes a blob argument as text and base64-encodes it itself.</summary>
    private static string Blob(string text) => text;
}

using System.Text.Json;
using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// An SQS event source mapping end to end with the aws CLI: messages processed in batches, a partial batch failure
/// back on the queue and then in the dead-letter queue after maxReceiveCount, disabling and enabling, and the
/// mapping API's validation.
/// </summary>
[Collection(NodeCollection.Name), Trait("Category", "EndToEnd")]
public sealed class SqsEventSourceTests(NodeFixture fixture)
{
    /// <summary>Logs each batch; reports every message whose body contains "bad" as failed.</summary>
    private const string Consumer = """
        import json
        def handler(event, context):
            bodies = [r["body"] for r in event["Records"]]
            first = event["Records"][0]
            print("batch " + json.dumps({"bodies": bodies, "source": first["eventSource"], "arn": first["eventSourceARN"], "count": first["attributes"]["ApproximateReceiveCount"], "titles": [r["messageAttributes"]["Title"]["stringValue"] for r in event["Records"] if "Title" in r["messageAttributes"]]}))
            return {"batchItemFailures": [{"itemIdentifier": r["messageId"]} for r in event["Records"] if "bad" in r["body"]]}
        """;

    private NodeProcess Node => fixture.Node;

    [Fact]
    public async Task Messages_AreProcessedInBatches_AndAPartialFailure_EndsInTheDeadLetterQueue()
    {
        var dlq = await QueueAsync("esm-dlq", null);
        var redrive = JsonSerializer.Serialize(new { deadLetterTargetArn = "arn:aws:sqs:us-east-1:000000000000:esm-dlq", maxReceiveCount = 2 });
        var queue = await QueueAsync("esm-in", JsonSerializer.Serialize(new { VisibilityTimeout = "2", RedrivePolicy = redrive }));
        await FunctionAsync("esm-consumer", Consumer);
        var created = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "create-event-source-mapping", "--function-name", "esm-consumer",
            "--event-source-arn", "arn:aws:sqs:us-east-1:000000000000:esm-in", "--batch-size", "10", "--maximum-batching-window-in-seconds", "1",
            "--function-response-types", "ReportBatchItemFailures"));
        Assert.Equal("Creating", created.GetProperty("State").GetString());
        var uuid = created.GetProperty("UUID").GetString()!;
        Assert.Equal($"arn:aws:lambda:us-east-1:000000000000:event-source-mapping:{uuid}", created.GetProperty("EventSourceMappingArn").GetString());

        var entries = Enumerable.Range(1, 5).Select(i => new { Id = $"g{i}", MessageBody = $"good {i}" })
            .Append(new { Id = "b", MessageBody = "bad apple" });
        await Tools.AwsOkAsync(Node, "sqs", "send-message-batch", "--queue-url", queue, "--entries", JsonSerializer.Serialize(entries));
        await Tools.AwsOkAsync(Node, "sqs", "send-message", "--queue-url", queue, "--message-body", "good 6", "--message-attributes", """{"Title":{"DataType":"String","StringValue":"The Whistler"}}""");

        // The bad message fails twice (once per receive), then the queue's redrive policy moves it to the DLQ.
        var moved = Tools.Json(await Tools.AwsOkAsync(Node, "sqs", "receive-message", "--queue-url", dlq, "--wait-time-seconds", "20"));
        Assert.Equal("bad apple", moved.GetProperty("Messages")[0].GetProperty("Body").GetString());

        var batches = await BatchesAsync("esm-consumer");
        var processed = batches.SelectMany(b => b.GetProperty("bodies").EnumerateArray().Select(x => x.GetString())).ToList();
        Assert.All(Enumerable.Range(1, 6), i => Assert.Contains($"good {i}", processed));
        Assert.Equal(2, processed.Count(p => p == "bad apple"));
        Assert.True(batches.Any(b => b.GetProperty("bodies").GetArrayLength() > 1), "no batch had more than one message");
        Assert.All(batches, b => Assert.Equal("aws:sqs", b.GetProperty("source").GetString()));
        Assert.Contains(batches, b => b.GetProperty("titles").EnumerateArray().Any(t => t.GetString() == "The Whistler"));

        var attributes = Tools.Json(await Tools.AwsOkAsync(Node, "sqs", "get-queue-attributes", "--queue-url", queue, "--attribute-names", "All")).GetProperty("Attributes");
        Assert.Equal("0", attributes.GetProperty("ApproximateNumberOfMessages").GetString());
        Assert.Equal("0", attributes.GetProperty("ApproximateNumberOfMessagesNotVisible").GetString());

        var got = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "get-event-source-mapping", "--uuid", uuid));
        Assert.Equal("Enabled", got.GetProperty("State").GetString());
        Assert.Equal("OK", got.GetProperty("LastProcessingResult").GetString());
        Assert.Equal(["ReportBatchItemFailures"], got.GetProperty("FunctionResponseTypes").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task DisabledMapping_LeavesMessagesQueued_UntilEnabledAgain()
    {
        var queue = await QueueAsync("esm-toggle", null);
        await FunctionAsync("esm-toggle-consumer", Consumer);
        var uuid = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "create-event-source-mapping", "--function-name", "esm-toggle-consumer",
            "--event-source-arn", "arn:aws:sqs:us-east-1:000000000000:esm-toggle", "--no-enabled")).GetProperty("UUID").GetString()!;
        Assert.Equal("Disabled", Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "get-event-source-mapping", "--uuid", uuid)).GetProperty("State").GetString());

        // Disabled: no poller runs, so nothing has received the message (no receive count, still visible).
        await Tools.AwsOkAsync(Node, "sqs", "send-message", "--queue-url", queue, "--message-body", "waiting");
        var attributes = Tools.Json(await Tools.AwsOkAsync(Node, "sqs", "get-queue-attributes", "--queue-url", queue, "--attribute-names", "All")).GetProperty("Attributes");
        Assert.Equal("1", attributes.GetProperty("ApproximateNumberOfMessages").GetString());
        Assert.Equal("No records processed", Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "get-event-source-mapping", "--uuid", uuid)).GetProperty("LastProcessingResult").GetString());

        Assert.Equal("Updating", Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "update-event-source-mapping", "--uuid", uuid, "--enabled")).GetProperty("State").GetString());
        var batches = await Cluster.Waits.UntilAsync("the enabled mapping's first batch", () => BatchesAsync("esm-toggle-consumer"), b => b.Count > 0, TimeSpan.FromSeconds(20));
        Assert.Equal("waiting", Assert.Single(batches).GetProperty("bodies")[0].GetString());
        Assert.Single(Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "list-event-source-mappings", "--function-name", "esm-toggle-consumer")).GetProperty("EventSourceMappings").EnumerateArray());
        Assert.Equal("Deleting", Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "delete-event-source-mapping", "--uuid", uuid)).GetProperty("State").GetString());
        Assert.Contains("ResourceNotFoundException", (await Tools.AwsAsync(Node, "lambda", "get-event-source-mapping", "--uuid", uuid)).Stderr);
    }

    [Fact]
    public async Task InvalidMappings_AreRefused_AndNothingIsCreated()
    {
        await QueueAsync("esm-validation", null);
        await FunctionAsync("esm-validation-consumer", Consumer);
        const string arn = "arn:aws:sqs:us-east-1:000000000000:esm-validation";
        string[] Create(params string[] arguments) => ["lambda", "create-event-source-mapping", .. arguments];

        // One CLI process for the whole sequence (none needs an answer of the one before).
        var results = await Tools.AwsBatchAsync(Node,
            Create("--function-name", "esm-validation-consumer", "--event-source-arn", arn, "--batch-size", "20"),
            Create("--function-name", "esm-validation-consumer", "--event-source-arn", "arn:aws:sqs:us-east-1:000000000000:missing"),
            Create("--function-name", "esm-validation-consumer", "--event-source-arn", "arn:aws:sns:us-east-1:000000000000:topic"),
            Create("--function-name", "esm-validation-consumer", "--event-source-arn", arn, "--starting-position", "LATEST"),
            Create("--function-name", "no-such-function", "--event-source-arn", arn),
            ["lambda", "list-event-source-mappings", "--event-source-arn", arn],
            Create("--function-name", "esm-validation-consumer", "--event-source-arn", arn),
            Create("--function-name", "esm-validation-consumer", "--event-source-arn", arn),
            ["lambda", "get-event-source-mapping", "--uuid", "not-a-uuid"]);

        Assert.Contains("Maximum batch window in seconds must be greater than 0", results[0].Refusal);
        Assert.Contains("NonExistentQueue", results[1].Refusal);
        Assert.Contains("Unrecognized event source", results[2].Refusal);
        Assert.Contains("not valid for SQS", results[3].Refusal);
        Assert.Contains("ResourceNotFoundException", results[4].Refusal);
        Assert.Empty(Tools.Json(results[5].Stdout).GetProperty("EventSourceMappings").EnumerateArray());
        Assert.True(results[6].ExitCode == 0, results[6].Stderr);
        Assert.Contains("ResourceConflictException", results[7].Refusal);
        Assert.Contains("ResourceNotFoundException", results[8].Refusal);
    }

    private async Task<List<JsonElement>> BatchesAsync(string function)
    {
        var result = await Tools.AwsAsync(Node, "logs", "filter-log-events", "--log-group-name", $"/aws/lambda/{function}", "--filter-pattern", "batch");
        if (result.ExitCode != 0 && result.Stderr.Contains("ResourceNotFoundException", StringComparison.Ordinal))
        {
            return []; // not called yet: its log group comes with its first call
        }

        Assert.True(result.ExitCode == 0, result.Stderr);
        return [.. Tools.Json(result.Stdout).GetProperty("events").EnumerateArray()
            .Select(e => e.GetProperty("message").GetString()!)
            .Where(m => m.StartsWith("batch ", StringComparison.Ordinal))
            .Select(m => JsonDocument.Parse(m[6..]).RootElement)];
    }

    private async Task<string> QueueAsync(string name, string? attributes)
    {
        string[] arguments = ["sqs", "create-queue", "--queue-name", name, .. attributes is null ? Array.Empty<string>() : ["--attributes", attributes]];
        return Tools.Json(await Tools.AwsOkAsync(Node, arguments)).GetProperty("QueueUrl").GetString()!;
    }

    private async Task FunctionAsync(string name, string code)
    {
        var zip = Tools.Zip(fixture.WorkDirectory, ("app.py", code + "\n"));
        await Tools.AwsOkAsync(Node, "lambda", "create-function", "--function-name", name, "--runtime", "python3.12", "--handler", "app.handler", "--role", Functions.Role, "--zip-file", $"fileb://{zip}");
    }
}

using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// The queue service through `aws sqs` (which checks every MD5 it is sent) and @aws-sdk/client-sqs: lifecycle,
/// attributes, tags, visibility, delays, long polling, batches, redrive to a dead-letter queue, FIFO order and
/// deduplication, and what happens to malformed and hostile requests.
/// </summary>
[Collection(SqsNodeCollection.Name), Trait("Category", "EndToEnd")]
public sealed class SqsTests(NodeFixture fixture)
{
    private NodeProcess Node => fixture.Node;

    [Fact]
    public async Task StandardQueue_SendReceiveVisibilityDelayAndLongPolling()
    {
        var url = await CreateAsync("standard-basics", """{"VisibilityTimeout":"30"}""");
        Assert.Equal(url, Json(await Sqs("create-queue", "--queue-name", "standard-basics", "--attributes", """{"VisibilityTimeout":"30"}""")).GetProperty("QueueUrl").GetString());
        Assert.Contains("QueueAlreadyExists", await SqsError("create-queue", "--queue-name", "standard-basics", "--attributes", """{"VisibilityTimeout":"31"}"""));
        Assert.Equal(url, Json(await Sqs("get-queue-url", "--queue-name", "standard-basics")).GetProperty("QueueUrl").GetString());
        Assert.Contains(url, await Sqs("list-queues", "--queue-name-prefix", "standard-b"));

        // A message with attributes: the CLI checks MD5OfMessageBody and MD5OfMessageAttributes of both answers.
        await Sqs("send-message", "--queue-url", url, "--message-body", "hello", "--message-attributes",
            """{"Title":{"DataType":"String","StringValue":"The Whistler"},"Count":{"DataType":"Number","StringValue":"3"},"Blob":{"DataType":"Binary","BinaryValue":"AAEC"}}""");
        var first = Message(await Sqs("receive-message", "--queue-url", url, "--attribute-names", "All", "--message-attribute-names", "All", "--visibility-timeout", "60"));
        Assert.Equal("hello", first.GetProperty("Body").GetString());
        Assert.Equal("1", first.GetProperty("Attributes").GetProperty("ApproximateReceiveCount").GetString());
        Assert.Equal("The Whistler", first.GetProperty("MessageAttributes").GetProperty("Title").GetProperty("StringValue").GetString());

        // Hidden while its visibility timeout runs (a minute here, so no wall clock decides the test)...
        Assert.Equal("", (await Sqs("receive-message", "--queue-url", url)).Trim());
        Assert.Equal("1", Json(await Sqs("get-queue-attributes", "--queue-url", url, "--attribute-names", "ApproximateNumberOfMessagesNotVisible")).GetProperty("Attributes").GetProperty("ApproximateNumberOfMessagesNotVisible").GetString());

        // ...back once the timeout is over (shortened to 1 s here), with its receive count up; a long poll waits for it.
        await Sqs("change-message-visibility", "--queue-url", url, "--receipt-handle", first.GetProperty("ReceiptHandle").GetString()!, "--visibility-timeout", "1");
        var again = Message(await Sqs("receive-message", "--queue-url", url, "--attribute-names", "ApproximateReceiveCount", "--wait-time-seconds", "20", "--visibility-timeout", "60"));
        Assert.Equal("2", again.GetProperty("Attributes").GetProperty("ApproximateReceiveCount").GetString());
        var handle = again.GetProperty("ReceiptHandle").GetString()!;
        await Sqs("change-message-visibility", "--queue-url", url, "--receipt-handle", handle, "--visibility-timeout", "0");
        var third = Message(await Sqs("receive-message", "--queue-url", url));
        await Sqs("delete-message", "--queue-url", url, "--receipt-handle", third.GetProperty("ReceiptHandle").GetString()!);
        Assert.Contains("AWS.SimpleQueueService.MessageNotInflight", await SqsError("change-message-visibility", "--queue-url", url, "--receipt-handle", handle, "--visibility-timeout", "5"));

        // A delayed message is counted as delayed and not handed out; one with a short delay arrives once it is over.
        await Sqs("send-message", "--queue-url", url, "--message-body", "much later", "--delay-seconds", "900");
        var counts = Json(await Sqs("get-queue-attributes", "--queue-url", url, "--attribute-names", "All")).GetProperty("Attributes");
        Assert.Equal("1", counts.GetProperty("ApproximateNumberOfMessagesDelayed").GetString());
        Assert.Equal("", (await Sqs("receive-message", "--queue-url", url)).Trim());
        await Sqs("send-message", "--queue-url", url, "--message-body", "later", "--delay-seconds", "1");
        Assert.Equal("later", Message(await Sqs("receive-message", "--queue-url", url, "--wait-time-seconds", "20")).GetProperty("Body").GetString());

        // A long poll returns as soon as a message arrives, not at the end of its wait.
        var clock = Stopwatch.StartNew();
        var poll = Sqs("receive-message", "--queue-url", url, "--wait-time-seconds", "20");
        await Sqs("send-message", "--queue-url", url, "--message-body", "arrived");
        Assert.Equal("arrived", Message(await poll).GetProperty("Body").GetString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"the long poll took {clock.Elapsed}");

        await Sqs("purge-queue", "--queue-url", url);
        Assert.Equal("0", Json(await Sqs("get-queue-attributes", "--queue-url", url, "--attribute-names", "ApproximateNumberOfMessages")).GetProperty("Attributes").GetProperty("ApproximateNumberOfMessages").GetString());
        await Sqs("delete-queue", "--queue-url", url);
        Assert.Contains("AWS.SimpleQueueService.NonExistentQueue", await SqsError("get-queue-url", "--queue-name", "standard-basics"));
        Assert.DoesNotContain(url, await Sqs("list-queues"));
    }

    [Fact]
    public async Task Batches_SendDeleteAndChangeVisibility_WithPerEntryOutcomes()
    {
        var url = await CreateAsync("batches", null);
        var sent = Json(await Sqs("send-message-batch", "--queue-url", url, "--entries",
            """[{"Id":"a","MessageBody":"one"},{"Id":"b","MessageBody":"two","DelaySeconds":0},{"Id":"c","MessageBody":""}]"""));
        Assert.Equal(["a", "b"], sent.GetProperty("Successful").EnumerateArray().Select(e => e.GetProperty("Id").GetString()).Order());
        Assert.Equal("MissingParameter", sent.GetProperty("Failed")[0].GetProperty("Code").GetString());

        var received = Json(await Sqs("receive-message", "--queue-url", url, "--max-number-of-messages", "10")).GetProperty("Messages").EnumerateArray().ToList();
        Assert.Equal(["one", "two"], received.Select(m => m.GetProperty("Body").GetString()).Order());
        var entries = JsonSerializer.Serialize(received.Select((m, i) => new { Id = $"m{i}", ReceiptHandle = m.GetProperty("ReceiptHandle").GetString() })
            .Append(new { Id = "bogus", ReceiptHandle = (string?)"not-a-handle" }));
        var deleted = Json(await Sqs("delete-message-batch", "--queue-url", url, "--entries", entries));
        Assert.Equal(2, deleted.GetProperty("Successful").GetArrayLength());
        Assert.Equal("ReceiptHandleIsInvalid", deleted.GetProperty("Failed")[0].GetProperty("Code").GetString());

        Assert.Contains("AWS.SimpleQueueService.TooManyEntriesInBatchRequest", await SqsError("send-message-batch", "--queue-url", url, "--entries",
            JsonSerializer.Serialize(Enumerable.Range(0, 11).Select(i => new { Id = $"e{i}", MessageBody = "x" }))));
        Assert.Contains("AWS.SimpleQueueService.BatchEntryIdsNotDistinct", await SqsError("send-message-batch", "--queue-url", url, "--entries",
            """[{"Id":"same","MessageBody":"x"},{"Id":"same","MessageBody":"y"}]"""));
        Assert.Equal("0", Json(await Sqs("get-queue-attributes", "--queue-url", url, "--attribute-names", "ApproximateNumberOfMessages")).GetProperty("Attributes").GetProperty("ApproximateNumberOfMessages").GetString());
    }

    [Fact]
    public async Task RedrivePolicy_MovesAMessagePastItsReceiveLimit_ToTheDeadLetterQueue()
    {
        var deadLetters = await CreateAsync("redrive-dlq", null);
        var dlqArn = Json(await Sqs("get-queue-attributes", "--queue-url", deadLetters, "--attribute-names", "QueueArn")).GetProperty("Attributes").GetProperty("QueueArn").GetString();
        var redrive = JsonSerializer.Serialize(new { deadLetterTargetArn = dlqArn, maxReceiveCount = "2" });
        var source = await CreateAsync("redrive-source", JsonSerializer.Serialize(new { VisibilityTimeout = "0", RedrivePolicy = redrive }));
        await Sqs("send-message", "--queue-url", source, "--message-body", "poison");

        Assert.Equal("poison", Message(await Sqs("receive-message", "--queue-url", source)).GetProperty("Body").GetString());
        Assert.Equal("poison", Message(await Sqs("receive-message", "--queue-url", source)).GetProperty("Body").GetString());
        Assert.Equal("", (await Sqs("receive-message", "--queue-url", source)).Trim()); // the third receive moves it instead

        var moved = Message(await Sqs("receive-message", "--queue-url", deadLetters, "--wait-time-seconds", "5", "--attribute-names", "All"));
        Assert.Equal("poison", moved.GetProperty("Body").GetString());
        Assert.Equal("arn:aws:sqs:us-east-1:000000000000:redrive-source", moved.GetProperty("Attributes").GetProperty("DeadLetterQueueSourceArn").GetString());
        Assert.Contains("RedrivePolicy", Json(await Sqs("get-queue-attributes", "--queue-url", source, "--attribute-names", "All")).GetProperty("Attributes").ToString());
    }

    [Fact]
    public async Task Tags_AndDeadLetterSources_AreListed()
    {
        var dlq = await CreateAsync("tags-dlq", null);
        var url = Json(await Sqs("create-queue", "--queue-name", "tagged", "--tags", "team=payments,env=test",
            "--attributes", JsonSerializer.Serialize(new { RedrivePolicy = JsonSerializer.Serialize(new { deadLetterTargetArn = "arn:aws:sqs:us-east-1:000000000000:tags-dlq", maxReceiveCount = 3 }) }))).GetProperty("QueueUrl").GetString()!;
        await Sqs("tag-queue", "--queue-url", url, "--tags", "env=prod,owner=ops");
        await Sqs("untag-queue", "--queue-url", url, "--tag-keys", "owner");
        var tags = Json(await Sqs("list-queue-tags", "--queue-url", url)).GetProperty("Tags");
        Assert.Equal("payments", tags.GetProperty("team").GetString());
        Assert.Equal("prod", tags.GetProperty("env").GetString());
        Assert.False(tags.TryGetProperty("owner", out _));
        Assert.Contains("InvalidParameterValue", await SqsError("tag-queue", "--queue-url", url, "--tags", $"{new string('k', 129)}=v"));

        var sources = Json(await Sqs("list-dead-letter-source-queues", "--queue-url", dlq)).GetProperty("queueUrls");
        Assert.Equal([url], sources.EnumerateArray().Select(u => u.GetString()));
    }

    [Fact]
    public async Task FifoQueue_KeepsGroupOrder_BlocksAGroupInFlight_AndDeduplicates()
    {
        var url = await CreateAsync("orders.fifo", """{"FifoQueue":"true","ContentBasedDeduplication":"true"}""");
        foreach (var (group, body) in new[] { ("A", "a1"), ("A", "a2"), ("B", "b1"), ("A", "a3"), ("B", "b2") })
        {
            await Sqs("send-message", "--queue-url", url, "--message-body", body, "--message-group-id", group);
        }

        var original = Json(await Sqs("send-message", "--queue-url", url, "--message-body", "dedup-me", "--message-group-id", "C"));
        var duplicate = Json(await Sqs("send-message", "--queue-url", url, "--message-body", "dedup-me", "--message-group-id", "C"));
        Assert.Equal(original.GetProperty("MessageId").GetString(), duplicate.GetProperty("MessageId").GetString());
        Assert.Equal(20, original.GetProperty("SequenceNumber").GetString()!.Length);

        var firstTwo = Bodies(await Sqs("receive-message", "--queue-url", url, "--max-number-of-messages", "2"));
        Assert.Equal(["a1", "a2"], firstTwo);

        // Group A has messages in flight: its a3 waits; B and C go out, each in order.
        var rest = Bodies(await Sqs("receive-message", "--queue-url", url, "--max-number-of-messages", "10"));
        Assert.Equal(["b1", "b2", "dedup-me"], rest);

        Assert.Contains("MissingParameter", await SqsError("send-message", "--queue-url", url, "--message-body", "no group"));
        Assert.Contains("InvalidParameterValue", await SqsError("send-message", "--queue-url", url, "--message-body", "x", "--message-group-id", "A", "--delay-seconds", "5"));
        Assert.Contains("InvalidParameterValue", await SqsError("create-queue", "--queue-name", "not-fifo", "--attributes", """{"FifoQueue":"true"}"""));
    }

    [Fact]
    public async Task MalformedAndHostileRequests_AreRefused_AndChangeNothing()
    {
        var url = await CreateAsync("hostile", """{"MaximumMessageSize":"1024"}""");
        string[] Sqs(params string[] arguments) => ["sqs", .. arguments];

        // One CLI process for the whole sequence (none needs an answer of the one before).
        var results = await Tools.AwsBatchAsync(Node,
            Sqs("create-queue", "--queue-name", "bad name!"),
            Sqs("create-queue", "--queue-name", "attrs", "--attributes", """{"Colour":"blue"}"""),
            Sqs("create-queue", "--queue-name", "attrs", "--attributes", """{"VisibilityTimeout":"99999"}"""),
            Sqs("create-queue", "--queue-name", "attrs", "--attributes", """{"RedrivePolicy":"{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:missing\",\"maxReceiveCount\":3}"}"""),
            Sqs("get-queue-url", "--queue-name", "attrs"),
            Sqs("send-message", "--queue-url", url, "--message-body", new string('x', 2000)),
            Sqs("send-message", "--queue-url", url, "--message-body", "bell\u0007"),
            Sqs("receive-message", "--queue-url", url, "--max-number-of-messages", "11"),
            Sqs("delete-message", "--queue-url", url, "--receipt-handle", "forged"),
            Sqs("send-message", "--queue-url", $"{Node.Endpoint}/111122223333/hostile", "--message-body", "other account"),
            Sqs("get-queue-attributes", "--queue-url", url, "--attribute-names", "All"));

        Assert.Contains("InvalidParameterValue", results[0].Refusal);
        Assert.Contains("InvalidAttributeName", results[1].Refusal);
        Assert.Contains("InvalidAttributeValue", results[2].Refusal);
        Assert.Contains("InvalidParameterValue", results[3].Refusal);
        Assert.Contains("AWS.SimpleQueueService.NonExistentQueue", results[4].Refusal);
        Assert.Contains("InvalidParameterValue", results[5].Refusal);
        Assert.Contains("InvalidMessageContents", results[6].Refusal);
        Assert.Contains("InvalidParameterValue", results[7].Refusal);
        Assert.Contains("ReceiptHandleIsInvalid", results[8].Refusal);
        Assert.Contains("AWS.SimpleQueueService.NonExistentQueue", results[9].Refusal);
        Assert.Equal("0", Json(results[10].Stdout).GetProperty("Attributes").GetProperty("ApproximateNumberOfMessages").GetString());
    }

    [Fact]
    public async Task JavaScriptSdk_SendsReceivesAndDeletes_WithItsMd5Checks()
    {
        var run = await Tools.NodeScriptAsync(Node, "sqs-check.mjs", "sdk-queue");
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        var result = Tools.Json(run.Stdout.Trim().Split('\n')[^1]);
        Assert.Equal(["m0", "m1", "m2"], result.GetProperty("bodies").EnumerateArray().Select(b => b.GetString()).Order());
        Assert.Equal("v", result.GetProperty("attribute").GetString());
        Assert.Equal(0, result.GetProperty("left").GetInt32());
        Assert.Equal("QueueDoesNotExist", result.GetProperty("missing").GetString());
    }

    private async Task<string> CreateAsync(string name, string? attributes)
    {
        string[] arguments = ["create-queue", "--queue-name", name, .. attributes is null ? Array.Empty<string>() : ["--attributes", attributes]];
        return Json(await Sqs(arguments)).GetProperty("QueueUrl").GetString()!;
    }

    private Task<string> Sqs(params string[] arguments) => Tools.AwsOkAsync(Node, ["sqs", .. arguments]);

    private async Task<string> SqsError(params string[] arguments)
    {
        var result = await Tools.AwsAsync(Node, ["sqs", .. arguments]);
        Assert.True(result.ExitCode != 0, $"aws sqs {string.Join(' ', arguments)} succeeded: {result.Stdout}");
        return result.Stderr;
    }

    private static JsonElement Json(string text) => Tools.Json(text);


    private static JsonElement Message(string output) => Json(output).GetProperty("Messages").EnumerateArray().Single();

    private static List<string?> Bodies(string output) => [.. Json(output).GetProperty("Messages").EnumerateArray().Select(m => m.GetProperty("Body").GetString())];
}

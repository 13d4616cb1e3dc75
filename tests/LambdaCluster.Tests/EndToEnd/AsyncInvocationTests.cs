using System.Text.Json;
using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// Asynchronous invocation through the aws CLI: retries after function errors, Lambda's invocation record at an
/// SQS failure destination and a Lambda success destination, and the event invoke config API with its errors.
/// (The node's retry delays are 1 s instead of Lambda's 1 and 2 minutes; see <see cref="NodeFixture"/>.)
/// </summary>
[Collection(NodeCollection.Name), Trait("Category", "EndToEnd")]
public sealed class AsyncInvocationTests(NodeFixture fixture)
{
    private const string Failing = """
        def handler(event, context):
            print(f"attempt for {event['n']}")
            raise ValueError(f"no good: {event['n']}")
        """;

    private NodeProcess Node => fixture.Node;

    [Fact]
    public async Task FunctionErrors_AreRetriedTwice_ThenTheFailureDestinationGetsLambdasRecord()
    {
        await CreateFunctionAsync("async-failing", Failing);
        var queue = Tools.Json(await Tools.AwsOkAsync(Node, "sqs", "create-queue", "--queue-name", "async-failures")).GetProperty("QueueUrl").GetString()!;
        var config = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "put-function-event-invoke-config", "--function-name", "async-failing",
            "--maximum-retry-attempts", "2", "--destination-config", """{"OnFailure":{"Destination":"arn:aws:sqs:us-east-1:000000000000:async-failures"}}"""));
        Assert.Equal("arn:aws:lambda:us-east-1:000000000000:function:async-failing:$LATEST", config.GetProperty("FunctionArn").GetString());
        Assert.Equal(JsonValueKind.Number, config.GetProperty("LastModified").ValueKind);

        var accepted = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "invoke", "--function-name", "async-failing", "--invocation-type", "Event", "--payload", """{"n":7}""", Path.Combine(fixture.WorkDirectory, "async.json")));
        Assert.Equal(202, accepted.GetProperty("StatusCode").GetInt32());

        var received = Tools.Json(await Tools.AwsOkAsync(Node, "sqs", "receive-message", "--queue-url", queue, "--wait-time-seconds", "20"));
        var record = JsonDocument.Parse(received.GetProperty("Messages")[0].GetProperty("Body").GetString()!).RootElement;
        Assert.Equal("1.0", record.GetProperty("version").GetString());
        Assert.Equal("RetriesExhausted", record.GetProperty("requestContext").GetProperty("condition").GetString());
        Assert.Equal(3, record.GetProperty("requestContext").GetProperty("approximateInvokeCount").GetInt32());
        Assert.Equal("arn:aws:lambda:us-east-1:000000000000:function:async-failing:$LATEST", record.GetProperty("requestContext").GetProperty("functionArn").GetString());
        Assert.Equal(7, record.GetProperty("requestPayload").GetProperty("n").GetInt32());
        Assert.Equal("Unhandled", record.GetProperty("responseContext").GetProperty("functionError").GetString());
        Assert.Equal("$LATEST", record.GetProperty("responseContext").GetProperty("executedVersion").GetString());
        Assert.Equal("no good: 7", record.GetProperty("responsePayload").GetProperty("errorMessage").GetString());

        var attempts = Tools.Json(await Tools.AwsOkAsync(Node, "logs", "filter-log-events", "--log-group-name", "/aws/lambda/async-failing", "--filter-pattern", "attempt"));
        Assert.Equal(3, attempts.GetProperty("events").GetArrayLength());
    }

    [Fact]
    public async Task ASuccess_GoesToAFunctionDestination_AsAnAsynchronousEvent()
    {
        await CreateFunctionAsync("async-receiver", "import json\ndef handler(event, context):\n    print('record ' + json.dumps(event))\n");
        await CreateFunctionAsync("async-ok", "def handler(event, context):\n    return {'doubled': event['x'] * 2}\n");
        await Tools.AwsOkAsync(Node, "lambda", "put-function-event-invoke-config", "--function-name", "async-ok",
            "--destination-config", """{"OnSuccess":{"Destination":"arn:aws:lambda:us-east-1:000000000000:function:async-receiver"}}""");
        await Tools.AwsOkAsync(Node, "lambda", "invoke", "--function-name", "async-ok", "--invocation-type", "Event", "--payload", """{"x":21}""", Path.Combine(fixture.WorkDirectory, "ok.json"));

        string? line = null;
        for (var i = 0; i < 40 && line is null; i++)
        {
            await Task.Delay(500);
            var events = await Tools.LogEventsAsync(Node, "/aws/lambda/async-receiver", "record");
            line = events.EnumerateArray().Select(e => e.GetProperty("message").GetString()).FirstOrDefault(m => m!.Contains("record {", StringComparison.Ordinal));
        }

        Assert.NotNull(line);
        var record = JsonDocument.Parse(line![(line.IndexOf("record ", StringComparison.Ordinal) + 7)..]).RootElement;
        Assert.Equal("Success", record.GetProperty("requestContext").GetProperty("condition").GetString());
        Assert.Equal(1, record.GetProperty("requestContext").GetProperty("approximateInvokeCount").GetInt32());
        Assert.Equal(42, record.GetProperty("responsePayload").GetProperty("doubled").GetInt32());
        Assert.False(record.GetProperty("responseContext").TryGetProperty("functionError", out _));
    }

    [Fact]
    public async Task EventInvokeConfigApi_ValidatesMergesListsAndDeletes()
    {
        await CreateFunctionAsync("async-config", "def handler(e, c):\n    return 1\n");
        string[] Lambda(params string[] arguments) => ["lambda", .. arguments];

        // One CLI process for the whole sequence (none needs an answer of the one before).
        var results = await Tools.AwsBatchAsync(Node,
            Lambda("publish-version", "--function-name", "async-config"),
            Lambda("put-function-event-invoke-config", "--function-name", "async-config"),
            Lambda("put-function-event-invoke-config", "--function-name", "async-config", "--maximum-retry-attempts", "3"),
            Lambda("put-function-event-invoke-config", "--function-name", "async-config", "--maximum-event-age-in-seconds", "30000"),
            Lambda("put-function-event-invoke-config", "--function-name", "async-config", "--destination-config", """{"OnFailure":{"Destination":"arn:aws:lambda:us-east-1:000000000000:function:async-config"}}"""),
            Lambda("put-function-event-invoke-config", "--function-name", "async-config", "--destination-config", """{"OnFailure":{"Destination":"arn:aws:sns:us-east-1:000000000000:topic"}}"""),
            Lambda("get-function-event-invoke-config", "--function-name", "async-config"),
            Lambda("update-function-event-invoke-config", "--function-name", "async-config", "--maximum-retry-attempts", "1"),
            Lambda("put-function-event-invoke-config", "--function-name", "async-config", "--qualifier", "9", "--maximum-retry-attempts", "1"),
            Lambda("put-function-event-invoke-config", "--function-name", "async-config", "--maximum-retry-attempts", "0"),
            Lambda("put-function-event-invoke-config", "--function-name", "async-config", "--qualifier", "1", "--maximum-event-age-in-seconds", "60"),
            Lambda("update-function-event-invoke-config", "--function-name", "async-config", "--maximum-event-age-in-seconds", "120"),
            Lambda("list-function-event-invoke-configs", "--function-name", "async-config"),
            Lambda("delete-function-event-invoke-config", "--function-name", "async-config", "--qualifier", "1"),
            Lambda("list-function-event-invoke-configs", "--function-name", "async-config"));

        _ = results[0].Answer;
        Assert.Contains("InvalidParameterValueException", results[1].Refusal);
        Assert.Contains("ValidationException", results[2].Refusal);
        Assert.Contains("ValidationException", results[3].Refusal);
        Assert.Contains("for itself", results[4].Refusal);
        Assert.Contains("InvalidParameterValueException", results[5].Refusal);
        Assert.Contains("ResourceNotFoundException", results[6].Refusal);
        Assert.Contains("ResourceNotFoundException", results[7].Refusal);
        Assert.Contains("ResourceNotFoundException", results[8].Refusal);
        _ = results[9].Answer;
        _ = results[10].Answer;
        var updated = results[11].Answer;
        Assert.Equal(0, updated.GetProperty("MaximumRetryAttempts").GetInt32()); // merged, not replaced
        Assert.Equal(120, updated.GetProperty("MaximumEventAgeInSeconds").GetInt32());
        Assert.Equal(
            ["arn:aws:lambda:us-east-1:000000000000:function:async-config:$LATEST", "arn:aws:lambda:us-east-1:000000000000:function:async-config:1"],
            results[12].Answer.GetProperty("FunctionEventInvokeConfigs").EnumerateArray().Select(c => c.GetProperty("FunctionArn").GetString()).Order(StringComparer.Ordinal));
        _ = results[13].Answer;
        Assert.Single(results[14].Answer.GetProperty("FunctionEventInvokeConfigs").EnumerateArray());
    }

    private async Task CreateFunctionAsync(string name, string code)
    {
        var zip = Tools.Zip(fixture.WorkDirectory, ("app.py", code + "\n"));
        await Tools.AwsOkAsync(Node, "lambda", "create-function", "--function-name", name, "--runtime", "python3.12", "--handler", "app.handler", "--role", Functions.Role, "--zip-file", $"fileb://{zip}");
    }
}

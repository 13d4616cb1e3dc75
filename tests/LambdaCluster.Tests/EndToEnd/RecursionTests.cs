using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// Recursive loop detection as Lambda's: a Node.js function that sends each event back to the queue that triggers it
/// (with the bundled AWS SDK, whose recursion-detection middleware forwards the trace) runs 16 times in the chain and
/// is then stopped (RecursiveInvocationException, shown in the mapping's LastProcessingResult); with RecursiveLoop
/// Allow the same loop runs on until the function itself ends it.
/// </summary>
[Collection(NodeCollection.Name), Trait("Category", "EndToEnd")]
public sealed partial class RecursionTests(NodeFixture fixture)
{
    private const string Looper = """
        import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
        export const handler = async (event) => {
          for (const record of event.Records) {
            const hop = JSON.parse(record.body);
            console.log(`hop ${hop.n}`);
            if (hop.n < hop.stop) {
              const client = new SQSClient({ endpoint: hop.endpoint, maxAttempts: 1 });
              await client.send(new SendMessageCommand({ QueueUrl: hop.queue, MessageBody: JSON.stringify({ ...hop, n: hop.n + 1 }) }));
            }
          }
        };
        """;

    private NodeProcess Node => fixture.Node;

    [Fact]
    public async Task AQueueLoop_IsStoppedAfterSixteenInvocations()
    {
        var uuid = await LoopAsync("loop-terminate", stop: 40, allow: false);

        await Cluster.Waits.UntilAsync("the mapping to report the stopped loop", async () => Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "get-event-source-mapping", "--uuid", uuid)).GetProperty("LastProcessingResult").GetString(),
            result => result?.Contains("recursive loop", StringComparison.Ordinal) == true, TimeSpan.FromSeconds(90));
        await Tools.AwsOkAsync(Node, "lambda", "delete-event-source-mapping", "--uuid", uuid);
        Assert.Equal(Enumerable.Range(1, 16), await HopsAsync("loop-terminate"));
    }

    [Fact]
    public async Task AQueueLoop_RunsOn_WhenTheFunctionAllowsRecursion()
    {
        var uuid = await LoopAsync("loop-allow", stop: 20, allow: true);

        await Cluster.Waits.UntilAsync("the loop to reach hop 20", () => HopsAsync("loop-allow"), hops => hops.Contains(20), TimeSpan.FromSeconds(90));
        await Tools.AwsOkAsync(Node, "lambda", "delete-event-source-mapping", "--uuid", uuid);
        Assert.Equal(Enumerable.Range(1, 20), await HopsAsync("loop-allow"));
    }

    /// <summary>A queue, the looping function on it (RecursiveLoop Allow when asked) and the first event; the mapping's UUID.</summary>
    private async Task<string> LoopAsync(string name, int stop, bool allow)
    {
        var queue = Tools.Json(await Tools.AwsOkAsync(Node, "sqs", "create-queue", "--queue-name", name)).GetProperty("QueueUrl").GetString()!;
        var zip = Tools.SdkPackage(fixture.WorkDirectory, Looper, "@aws-sdk/client-sqs");
        await Tools.AwsOkAsync(Node, "lambda", "create-function", "--function-name", name, "--runtime", "nodejs22.x", "--handler", "index.handler",
            "--role", Functions.Role, "--memory-size", "256", "--timeout", "10", "--zip-file", $"fileb://{zip}");
        if (allow)
        {
            await Tools.AwsOkAsync(Node, "lambda", "put-function-recursion-config", "--function-name", name, "--recursive-loop", "Allow");
        }

        var mapping = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "create-event-source-mapping", "--function-name", name,
            "--event-source-arn", $"arn:aws:sqs:us-east-1:000000000000:{name}", "--batch-size", "1"));
        await Tools.AwsOkAsync(Node, "sqs", "send-message", "--queue-url", queue, "--message-body",
            JsonSerializer.Serialize(new { n = 1, stop, queue, endpoint = Node.Endpoint }));
        return mapping.GetProperty("UUID").GetString()!;
    }

    /// <summary>The hop numbers the function logged, in order.</summary>
    private async Task<List<int>> HopsAsync(string function)
    {
        var result = await Tools.AwsAsync(Node, "logs", "filter-log-events", "--log-group-name", $"/aws/lambda/{function}", "--filter-pattern", "hop");
        if (result.ExitCode != 0)
        {
            return []; // no log group before the first invocation
        }

        return [.. Tools.Json(result.Stdout).GetProperty("events").EnumerateArray()
            .Select(e => Hop().Match(e.GetProperty("message").GetString()!))
            .Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .Order()];
    }

    [GeneratedRegex(@"\thop (\d+)$")]
    private static partial Regex Hop();
}

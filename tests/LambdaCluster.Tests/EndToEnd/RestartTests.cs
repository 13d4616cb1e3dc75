using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>Functions, their code, their logs, queued messages and accepted asynchronous events survive a restart of the node.</summary>
[Trait("Category", "EndToEnd")]
public sealed class RestartTests
{
    [Fact]
    public async Task Restart_KeepsFunctionsCodeAndLogs()
    {
        var work = Directory.CreateTempSubdirectory("lambda-restart-").FullName;
        try
        {
            var data = Path.Combine(work, "data");
            var zip = Tools.Zip(work, ("index.py", "def handler(e, c):\n    print('kept across restarts')\n    return 'still here'\n"));
            await using (var first = await NodeProcess.StartAsync(data))
            {
                Assert.Equal(0, (await Tools.AwsAsync(first, "lambda", "create-function", "--function-name", "survivor", "--runtime", "python3.12",
                    "--handler", "index.handler", "--role", Functions.Role, "--zip-file", $"fileb://{zip}")).ExitCode);
                Assert.Equal(0, (await Tools.AwsAsync(first, "lambda", "invoke", "--function-name", "survivor", Path.Combine(work, "1.json"))).ExitCode);
                var queue = Tools.Json(await Tools.AwsOkAsync(first, "sqs", "create-queue", "--queue-name", "kept")).GetProperty("QueueUrl").GetString()!;
                await Tools.AwsOkAsync(first, "sqs", "send-message", "--queue-url", queue, "--message-body", "first");
                await Tools.AwsOkAsync(first, "sqs", "send-message", "--queue-url", queue, "--message-body", "second");
                await Tools.AwsOkAsync(first, "sqs", "receive-message", "--queue-url", queue, "--visibility-timeout", "0");
            }

            await using var second = await NodeProcess.StartAsync(data);
            Assert.Equal(0, (await Tools.AwsAsync(second, "lambda", "get-function", "--function-name", "survivor")).ExitCode);
            var invoked = await Tools.AwsAsync(second, "lambda", "invoke", "--function-name", "survivor", Path.Combine(work, "2.json"));
            Assert.True(invoked.ExitCode == 0, invoked.Stderr);
            Assert.Equal("\"still here\"", await File.ReadAllTextAsync(Path.Combine(work, "2.json")));
            var logs = await Tools.AwsAsync(second, "logs", "filter-log-events", "--log-group-name", "/aws/lambda/survivor", "--filter-pattern", "kept");
            Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(logs.Stdout, "kept across restarts").Count);

            // Both messages are still queued, and the one received before the restart remembers it.
            var url = Tools.Json(await Tools.AwsOkAsync(second, "sqs", "get-queue-url", "--queue-name", "kept")).GetProperty("QueueUrl").GetString()!;
            var messages = Tools.Json(await Tools.AwsOkAsync(second, "sqs", "receive-message", "--queue-url", url, "--max-number-of-messages", "10", "--attribute-names", "ApproximateReceiveCount"))
                .GetProperty("Messages").EnumerateArray().ToDictionary(m => m.GetProperty("Body").GetString()!, m => m.GetProperty("Attributes").GetProperty("ApproximateReceiveCount").GetString());
            Assert.Equal("2", messages["first"]);
            Assert.Equal("1", messages["second"]);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task AsyncEventsAccepted_BeforeTheNodeIsKilled_RunAfterItRestarts()
    {
        var work = Directory.CreateTempSubdirectory("lambda-restart-async-").FullName;
        try
        {
            var data = Path.Combine(work, "data");
            var zip = Tools.Zip(work, ("index.py", "import time\ndef handler(e, c):\n    time.sleep(5)\n    print(f\"ran {e['n']}\")\n"));
            await using (var first = await NodeProcess.StartAsync(data))
            {
                await Tools.AwsOkAsync(first, "lambda", "create-function", "--function-name", "patient", "--runtime", "python3.12", "--timeout", "10",
                    "--handler", "index.handler", "--role", Functions.Role, "--zip-file", $"fileb://{zip}");
                foreach (var n in new[] { 1, 2, 3 })
                {
                    var accepted = Tools.Json(await Tools.AwsOkAsync(first, "lambda", "invoke", "--function-name", "patient", "--invocation-type", "Event", "--payload", $"{{\"n\":{n}}}", Path.Combine(work, $"{n}.json")));
                    Assert.Equal(202, accepted.GetProperty("StatusCode").GetInt32());
                }
            } // killed (SIGKILL) while the events are queued or running: none has finished its 5 s

            await using var second = await NodeProcess.StartAsync(data);
            var ran = new HashSet<string>();
            for (var i = 0; i < 60 && ran.Count < 3; i++)
            {
                await Task.Delay(500);
                var logs = await Tools.LogEventsAsync(second, "/aws/lambda/patient", "ran");
                ran = [.. logs.EnumerateArray().Select(e => e.GetProperty("message").GetString()!.Trim()).Where(m => m.StartsWith("ran ", StringComparison.Ordinal))];
            }

            Assert.Equal(["ran 1", "ran 2", "ran 3"], ran.Order());
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}

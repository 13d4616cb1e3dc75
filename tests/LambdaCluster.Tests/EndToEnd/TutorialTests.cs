using System.Text;
using System.Text.Json;
using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>The getting-started tutorial, driven by the real aws CLI against a real node.</summary>
[Collection(NodeCollection.Name), Trait("Category", "EndToEnd")]
public sealed class TutorialTests(NodeFixture fixture)
{
    [Theory]
    [InlineData("python3.13", "lambda_function.py", "lambda_function.lambda_handler", "\"{\\\"area\\\": 42}\"", "CloudWatch logs group: /aws/lambda/")]
    [InlineData("nodejs22.x", "index.mjs", "index.handler", "\"{\\\"area\\\":42}\"", "CloudWatch log group:  /aws/lambda/")]
    public async Task Tutorial_CreateInvokeReadLogsDelete(string runtime, string file, string handler, string expectedBody, string logGroupLine)
    {
        var node = fixture.Node;
        var name = $"myLambdaFunction-{runtime.Replace('.', '-')}";
        var code = runtime.StartsWith("python", StringComparison.Ordinal) ? Functions.TutorialPython : Functions.TutorialNode;
        var zip = Tools.Zip(fixture.WorkDirectory, (file, code));

        var created = await Tools.AwsAsync(node, "lambda", "create-function", "--function-name", name, "--runtime", runtime,
            "--handler", handler, "--role", Functions.Role, "--zip-file", $"fileb://{zip}");
        Assert.True(created.ExitCode == 0, created.Stderr);
        Assert.Equal("$LATEST", JsonDocument.Parse(created.Stdout).RootElement.GetProperty("Version").GetString());

        var outFile = Path.Combine(fixture.WorkDirectory, $"{name}.json");
        var invoked = await Tools.AwsAsync(node, "lambda", "invoke", "--function-name", name, "--payload", "{\"length\": 6, \"width\": 7}", "--log-type", "Tail", outFile);
        Assert.True(invoked.ExitCode == 0, invoked.Stderr);
        Assert.Equal(expectedBody, await File.ReadAllTextAsync(outFile));
        var metadata = JsonDocument.Parse(invoked.Stdout).RootElement;
        Assert.Equal(200, metadata.GetProperty("StatusCode").GetInt32());
        Assert.Equal("$LATEST", metadata.GetProperty("ExecutedVersion").GetString());
        var tail = Encoding.UTF8.GetString(Convert.FromBase64String(metadata.GetProperty("LogResult").GetString()!));
        Assert.Contains("The area is 42", tail);
        Assert.Contains(logGroupLine + name, tail);
        Assert.Matches(@"REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d\d ms\t", tail);

        var filtered = await Tools.AwsAsync(node, "logs", "filter-log-events", "--log-group-name", $"/aws/lambda/{name}", "--filter-pattern", "area");
        Assert.True(filtered.ExitCode == 0, filtered.Stderr);
        var messages = JsonDocument.Parse(filtered.Stdout).RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()).ToList();
        Assert.Contains(messages, m => m!.Contains("The area is 42", StringComparison.Ordinal));

        var streams = await Tools.AwsAsync(node, "logs", "describe-log-streams", "--log-group-name", $"/aws/lambda/{name}");
        Assert.Matches(@"\d{4}/\d\d/\d\d/\[\$LATEST\][0-9a-f]{32}", JsonDocument.Parse(streams.Stdout).RootElement.GetProperty("logStreams")[0].GetProperty("logStreamName").GetString());

        Assert.Equal(0, (await Tools.AwsAsync(node, "lambda", "delete-function", "--function-name", name)).ExitCode);
        Assert.Equal(0, (await Tools.AwsAsync(node, "logs", "delete-log-group", "--log-group-name", $"/aws/lambda/{name}")).ExitCode);
        var gone = await Tools.AwsAsync(node, "lambda", "get-function", "--function-name", name);
        Assert.Contains("ResourceNotFoundException", gone.Stderr);
        var groupGone = await Tools.AwsAsync(node, "logs", "filter-log-events", "--log-group-name", $"/aws/lambda/{name}");
        Assert.Contains("ResourceNotFoundException", groupGone.Stderr);
    }
}

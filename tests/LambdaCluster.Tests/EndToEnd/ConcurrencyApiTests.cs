using System.Text.Json;
using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>Reserved and provisioned concurrency, versions and /metrics through the aws CLI and plain HTTP.</summary>
[Collection(NodeCollection.Name), Trait("Category", "EndToEnd")]
public sealed class ConcurrencyApiTests(NodeFixture fixture)
{
    private NodeProcess Node => fixture.Node;

    [Fact]
    public async Task ReservedConcurrency_SetReadEnforcedAndRemoved_WithLambdasValidation()
    {
        const string name = "reserved-cli";
        await CreateAsync(name);

        Assert.Equal(5, Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "put-function-concurrency", "--function-name", name, "--reserved-concurrent-executions", "5")).GetProperty("ReservedConcurrentExecutions").GetInt32());
        Assert.Equal(5, Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "get-function-concurrency", "--function-name", name)).GetProperty("ReservedConcurrentExecutions").GetInt32());
        Assert.Equal(5, Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "get-function", "--function-name", name)).GetProperty("Concurrency").GetProperty("ReservedConcurrentExecutions").GetInt32());
        Assert.Equal(995, Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "get-account-settings")).GetProperty("AccountLimit").GetProperty("UnreservedConcurrentExecutions").GetInt32());

        var tooMuch = await Tools.AwsAsync(Node, "lambda", "put-function-concurrency", "--function-name", name, "--reserved-concurrent-executions", "950");
        Assert.Contains("InvalidParameterValueException", tooMuch.Stderr);
        Assert.Contains("below its minimum value of [100]", tooMuch.Stderr);
        var qualified = await Tools.AwsAsync(Node, "lambda", "put-function-concurrency", "--function-name", $"{name}:1", "--reserved-concurrent-executions", "1");
        Assert.Contains("This operation is permitted on Lambda functions only.", qualified.Stderr);
        Assert.Equal(5, Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "get-function-concurrency", "--function-name", name)).GetProperty("ReservedConcurrentExecutions").GetInt32());

        await Tools.AwsOkAsync(Node, "lambda", "put-function-concurrency", "--function-name", name, "--reserved-concurrent-executions", "0");
        var throttled = await Tools.AwsAsync(Node, "lambda", "invoke", "--function-name", name, Path.Combine(fixture.WorkDirectory, "throttled.json"));
        Assert.Contains("TooManyRequestsException", throttled.Stderr);

        await Tools.AwsOkAsync(Node, "lambda", "delete-function-concurrency", "--function-name", name);
        Assert.DoesNotContain("ReservedConcurrentExecutions", await Tools.AwsOkAsync(Node, "lambda", "get-function-concurrency", "--function-name", name)); // {} (the CLI prints nothing)
        Assert.Equal(1000, Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "get-account-settings")).GetProperty("AccountLimit").GetProperty("UnreservedConcurrentExecutions").GetInt32());
        await Tools.AwsOkAsync(Node, "lambda", "invoke", "--function-name", name, Path.Combine(fixture.WorkDirectory, "after.json"));
    }

    [Fact]
    public async Task ProvisionedConcurrency_OnAPublishedVersion_BecomesReadyAndServesThatVersion()
    {
        const string name = "provisioned-cli";
        await CreateAsync(name);
        Assert.Equal("1", Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "publish-version", "--function-name", name)).GetProperty("Version").GetString());
        Assert.Equal("1", Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "publish-version", "--function-name", name)).GetProperty("Version").GetString()); // unchanged $LATEST
        var versions = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "list-versions-by-function", "--function-name", name)).GetProperty("Versions").EnumerateArray().Select(v => v.GetProperty("Version").GetString());
        Assert.Equal(["$LATEST", "1"], versions);

        var latest = await Tools.AwsAsync(Node, "lambda", "put-provisioned-concurrency-config", "--function-name", name, "--qualifier", "$LATEST", "--provisioned-concurrent-executions", "1");
        Assert.Contains("Provisioned Concurrency Configs cannot be applied to unpublished function versions.", latest.Stderr);
        var put = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "put-provisioned-concurrency-config", "--function-name", name, "--qualifier", "1", "--provisioned-concurrent-executions", "2"));
        Assert.Equal(2, put.GetProperty("RequestedProvisionedConcurrentExecutions").GetInt32());

        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement status;
        do
        {
            status = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "get-provisioned-concurrency-config", "--function-name", name, "--qualifier", "1"));
        }
        while (status.GetProperty("Status").GetString() != "READY" && DateTime.UtcNow < deadline);
        Assert.Equal("READY", status.GetProperty("Status").GetString());
        Assert.Equal(2, status.GetProperty("AvailableProvisionedConcurrentExecutions").GetInt32());
        var listed = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "list-provisioned-concurrency-configs", "--function-name", name)).GetProperty("ProvisionedConcurrencyConfigs")[0];
        Assert.Equal($"arn:aws:lambda:us-east-1:000000000000:function:{name}:1", listed.GetProperty("FunctionArn").GetString());

        var invoked = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "invoke", "--function-name", name, "--qualifier", "1", Path.Combine(fixture.WorkDirectory, "provisioned.json")));
        Assert.Equal("1", invoked.GetProperty("ExecutedVersion").GetString());

        await Tools.AwsOkAsync(Node, "lambda", "delete-provisioned-concurrency-config", "--function-name", name, "--qualifier", "1");
        var gone = await Tools.AwsAsync(Node, "lambda", "get-provisioned-concurrency-config", "--function-name", name, "--qualifier", "1");
        Assert.Contains("ProvisionedConcurrencyConfigNotFoundException", gone.Stderr);
    }

    [Fact]
    public async Task Metrics_ArePrometheusText_WithLambdasFiguresPerFunction()
    {
        const string name = "metrics-cli";
        await CreateAsync(name);
        await Tools.AwsOkAsync(Node, "lambda", "invoke", "--function-name", name, Path.Combine(fixture.WorkDirectory, "metrics.json"));

        using var http = new HttpClient();
        var text = await http.GetStringAsync($"{Node.Endpoint}/metrics");

        foreach (var series in new[] { "lambda_invocations_total", "lambda_cold_starts_total", "lambda_duration_milliseconds_count", "lambda_init_duration_milliseconds_count", "lambda_concurrent_executions" })
        {
            Assert.Contains($"{series}{{otel_scope_name=\"LambdaCluster\",function_name=\"{name}\"}}", text);
        }
    }

    private async Task CreateAsync(string name)
    {
        var zip = Tools.Zip(fixture.WorkDirectory, ("index.py", "def handler(event, context):\n    return {'ok': True}\n"));
        await Tools.AwsOkAsync(Node, "lambda", "create-function", "--function-name", name, "--runtime", "python3.12", "--handler", "index.handler", "--role", Functions.Role, "--zip-file", $"fileb://{zip}");
    }
}

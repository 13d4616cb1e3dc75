using System.Text;
using System.Text.Json;
using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>Versions and aliases through the aws CLI, and an alias's weighted split measured over 1000 invocations.</summary>
[Collection(NodeCollection.Name), Trait("Category", "EndToEnd")]
public sealed class AliasTests(NodeFixture fixture)
{
    private NodeProcess Node => fixture.Node;

    [Fact]
    public async Task Alias_RoutesByWeight_IsReadableAndUpdatable_AndValidatesItsInput()
    {
        const string name = "aliased";
        var zip = Tools.Zip(fixture.WorkDirectory, ("index.py", "import os\ndef handler(event, context):\n    return os.environ['AWS_LAMBDA_FUNCTION_VERSION']\n"));
        await Tools.AwsOkAsync(Node, "lambda", "create-function", "--function-name", name, "--runtime", "python3.12", "--handler", "index.handler", "--role", Functions.Role, "--zip-file", $"fileb://{zip}");
        await Tools.AwsOkAsync(Node, "lambda", "publish-version", "--function-name", name);
        await Tools.AwsOkAsync(Node, "lambda", "update-function-configuration", "--function-name", name, "--description", "second");
        Assert.Equal("2", Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "publish-version", "--function-name", name)).GetProperty("Version").GetString());

        var created = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "create-alias", "--function-name", name, "--name", "live", "--function-version", "1",
            "--routing-config", "AdditionalVersionWeights={2=0.1}"));
        Assert.Equal($"arn:aws:lambda:us-east-1:000000000000:function:{name}:live", created.GetProperty("AliasArn").GetString());
        Assert.Equal(0.1, created.GetProperty("RoutingConfig").GetProperty("AdditionalVersionWeights").GetProperty("2").GetDouble());
        Assert.Contains("ResourceConflictException", (await Tools.AwsAsync(Node, "lambda", "create-alias", "--function-name", name, "--name", "live", "--function-version", "1")).Stderr);
        Assert.Contains("ValidationException", (await Tools.AwsAsync(Node, "lambda", "create-alias", "--function-name", name, "--name", "123", "--function-version", "1")).Stderr);
        Assert.Contains("ResourceNotFoundException", (await Tools.AwsAsync(Node, "lambda", "create-alias", "--function-name", name, "--name", "nope", "--function-version", "9")).Stderr);
        Assert.Contains("InvalidParameterValueException", (await Tools.AwsAsync(Node, "lambda", "create-alias", "--function-name", name, "--name", "latest-split", "--function-version", "$LATEST", "--routing-config", "AdditionalVersionWeights={2=0.5}")).Stderr);

        var referenced = await Tools.AwsAsync(Node, "lambda", "delete-function", "--function-name", name, "--qualifier", "2");
        Assert.Contains("ResourceConflictException", referenced.Stderr);
        Assert.Contains("[live]", referenced.Stderr);
        var everyVersion = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "list-functions", "--function-version", "ALL")).GetProperty("Functions").EnumerateArray()
            .Select(f => f.GetProperty("FunctionArn").GetString()!).Where(a => a.Contains($":function:{name}:", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        Assert.Equal([$"arn:aws:lambda:us-east-1:000000000000:function:{name}:$LATEST", $"arn:aws:lambda:us-east-1:000000000000:function:{name}:1", $"arn:aws:lambda:us-east-1:000000000000:function:{name}:2"], everyVersion);

        var counts = await ExecutedVersionsAsync(name, "live", 1000);
        Assert.Equal(1000, counts.GetValueOrDefault("1") + counts.GetValueOrDefault("2"));
        Assert.InRange(counts.GetValueOrDefault("2"), 70, 130); // 10 % of 1000, within three standard deviations

        var configuration = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "get-function-configuration", "--function-name", name, "--qualifier", "live"));
        Assert.Equal("1", configuration.GetProperty("Version").GetString());
        Assert.EndsWith(":live", configuration.GetProperty("FunctionArn").GetString(), StringComparison.Ordinal);

        await Tools.AwsOkAsync(Node, "lambda", "update-alias", "--function-name", name, "--name", "live", "--function-version", "2", "--routing-config", "AdditionalVersionWeights={}");
        var updated = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "get-alias", "--function-name", name, "--name", "live"));
        Assert.Equal("2", updated.GetProperty("FunctionVersion").GetString());
        Assert.False(updated.TryGetProperty("RoutingConfig", out _));
        // Gateways cache an alias for a second: the change shows within that, and then on every call.
        // (Until now 10 % of calls ran version 2 anyway: the change shows when a few calls in a row all do.)
        await Cluster.Waits.UntilAsync("the updated alias to reach the gateway", () => ExecutedVersionsAsync(name, "live", 10), v => v.Keys.SequenceEqual(["2"]), TimeSpan.FromSeconds(10));
        Assert.Equal(new Dictionary<string, int> { ["2"] = 20 }, await ExecutedVersionsAsync(name, "live", 20));

        var listed = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "list-aliases", "--function-name", name)).GetProperty("Aliases");
        Assert.Equal(["live"], listed.EnumerateArray().Select(a => a.GetProperty("Name").GetString()));
        await Tools.AwsOkAsync(Node, "lambda", "delete-alias", "--function-name", name, "--name", "live");
        Assert.Contains("ResourceNotFoundException", (await Tools.AwsAsync(Node, "lambda", "get-alias", "--function-name", name, "--name", "live")).Stderr);
        Assert.Contains("ResourceNotFoundException", (await Tools.AwsAsync(Node, "lambda", "invoke", "--function-name", name, "--qualifier", "gone", Path.Combine(fixture.WorkDirectory, "gone.json"))).Stderr);
    }

    [Fact]
    public async Task WeightOutsideZeroToOne_IsAValidationError()
    {
        using var http = new HttpClient();
        using var request = Tools.Signed(Node.Endpoint, HttpMethod.Post, "/2015-03-31/functions/aliased-weights/aliases",
            Encoding.UTF8.GetBytes("{\"Name\":\"x\",\"FunctionVersion\":\"1\",\"RoutingConfig\":{\"AdditionalVersionWeights\":{\"2\":1.5}}}"));
        using var response = await http.SendAsync(request);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("ValidationException", response.Headers.GetValues("x-amzn-ErrorType").Single());
    }

    private async Task<Dictionary<string, int>> ExecutedVersionsAsync(string name, string qualifier, int calls)
    {
        using var http = new HttpClient();
        var counts = new Dictionary<string, int>();
        for (var i = 0; i < calls; i++)
        {
            // As the SDKs do, a 5xx ("Please try again") is tried again, twice.
            var response = await SendAsync();
            for (var attempt = 1; attempt < 3 && (int)response.StatusCode >= 500; attempt++)
            {
                response.Dispose();
                await Task.Delay(200);
                response = await SendAsync();
            }

            using var answered = response;
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            var executed = response.Headers.GetValues("X-Amz-Executed-Version").Single();
            Assert.Equal($"\"{executed}\"", await response.Content.ReadAsStringAsync()); // the version that ran is the one reported
            counts[executed] = counts.GetValueOrDefault(executed) + 1;
        }

        return counts;

        async Task<HttpResponseMessage> SendAsync()
        {
            using var request = Tools.Signed(Node.Endpoint, HttpMethod.Post, $"/2015-03-31/functions/{name}/invocations?Qualifier={qualifier}", "{}"u8.ToArray());
            return await http.SendAsync(request);
        }
    }
}

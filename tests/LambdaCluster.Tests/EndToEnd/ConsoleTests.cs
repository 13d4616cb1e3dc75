using System.Net;
using System.Text.Json;
using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// The web console in a real browser (Debian's Chromium driven by playwright-core): the getting-started tutorial end
/// to end for both runtimes, and the configuration, versions, aliases, URL, triggers and monitor views, each checked
/// afterwards through the API with the aws CLI. Screenshots of every step: TestResults/console/.
/// </summary>
[Collection(IntegrationNodeCollection.Name), Trait("Category", "EndToEnd")]
public sealed class ConsoleTests(IntegrationNodeFixture fixture)
{
    private NodeProcess Node => fixture.Node;

    [Theory]
    [InlineData("nodejs22.x", "\"{\\\"area\\\":42}\"")]
    [InlineData("python3.13", "\"{\\\"area\\\": 42}\"")]
    public async Task SeedTutorial_RunsInTheBrowser_FromSignInToDelete(string runtime, string response)
    {
        var run = await Tools.ConsoleScriptAsync(Node.Endpoint, "tutorial.mjs", $"tutorial-{runtime}", runtime);
        Assert.True(run.ExitCode == 0, $"{run.Stderr}\n{run.Stdout}\n(screenshots: TestResults/console/tutorial-{runtime})");
        var page = Tools.Json(run.Stdout.Trim().Split('\n')[^1]);

        Assert.Contains("Hello from Lambda!", page.GetProperty("created").GetString()); // the code Lambda creates
        Assert.Equal("Status: Succeeded", page.GetProperty("status").GetString());
        Assert.Equal(response, page.GetProperty("response").GetString());
        var logs = page.GetProperty("logs").GetString()!;
        Assert.Contains("START RequestId: ", logs);
        Assert.Contains("The area is 42", logs);
        Assert.Contains("/aws/lambda/myLambdaFunction", logs);
        Assert.Contains("END RequestId: ", logs);
        Assert.Contains("REPORT RequestId: ", logs);
        var summary = page.GetProperty("summary").GetString()!;
        Assert.Contains("Resources configured128 MB", summary);
        Assert.Contains("Init duration", summary); // the first call was a cold start
        Assert.Contains("The area is 42", page.GetProperty("logGroupLine").GetString());
        Assert.True(Directory.GetFiles(Tools.RepositoryFile("TestResults", "console", $"tutorial-{runtime}"), "*.png").Length >= 11);

        // Through the API: the function and its log group are gone; the saved test event is the cluster's (shareable).
        var function = await Tools.AwsAsync(Node, "lambda", "get-function", "--function-name", "myLambdaFunction");
        Assert.Contains("ResourceNotFoundException", function.Stderr);
        var groups = Tools.Json(await Tools.AwsOkAsync(Node, "logs", "describe-log-groups", "--log-group-name-prefix", "/aws/lambda/myLambdaFunction"));
        Assert.Empty(groups.GetProperty("logGroups").EnumerateArray());
        var schema = Tools.Json(await Tools.AwsOkAsync(Node, "schemas", "describe-schema", "--registry-name", "lambda-testevent-schemas", "--schema-name", "_myLambdaFunction-schema"));
        var saved = Tools.Json(schema.GetProperty("Content").GetString()!).GetProperty("components").GetProperty("examples").GetProperty("myTestEvent").GetProperty("value");
        Assert.Equal(6, saved.GetProperty("length").GetInt32());
        Assert.Equal(7, saved.GetProperty("width").GetInt32());
    }

    [Fact]
    public async Task ConfigurationVersionsAliasesUrlTriggersAndMonitor_MadeInTheBrowser_TakeEffect()
    {
        var name = "console-config";
        // Its URL's answer asks for a service worker scope of "/": the path form, on the console's origin, must not grant it.
        var zip = Tools.Zip(fixture.WorkDirectory, ("index.py",
            "import os\ndef handler(e, c):\n    return {'statusCode': 200, 'headers': {'Service-Worker-Allowed': '/'}, 'body': os.environ.get('GREETING') or ''}\n"));
        await Tools.AwsOkAsync(Node, "lambda", "create-function", "--function-name", name, "--runtime", "python3.13", "--handler", "index.handler", "--role", Functions.Role, "--zip-file", $"fileb://{zip}");
        await Tools.AwsOkAsync(Node, "sqs", "create-queue", "--queue-name", "console-trigger");
        var queueArn = "arn:aws:sqs:us-east-1:000000000000:console-trigger";
        for (var i = 0; i < 3; i++)
        {
            await Tools.AwsOkAsync(Node, "lambda", "invoke", "--function-name", name, Path.Combine(fixture.WorkDirectory, "console-out.json"));
        }

        var run = await Tools.ConsoleScriptAsync(Node.Endpoint, "configuration.mjs", "configuration", name, queueArn, "3");
        Assert.True(run.ExitCode == 0, $"{run.Stderr}\n{run.Stdout}\n(screenshots: TestResults/console/configuration)");
        var page = Tools.Json(run.Stdout.Trim().Split('\n')[^1]);
        Assert.Equal("password", page.GetProperty("hiddenType").GetString()); // values hidden until asked for
        Assert.Equal("text", page.GetProperty("shownType").GetString());
        Assert.Equal(5, page.GetProperty("charts").GetInt32());
        Assert.StartsWith("Last hour: 3 invocations, 0 errors, 0 throttles", page.GetProperty("totals").GetString());
        Assert.Equal(3, page.GetProperty("recent").GetInt32());

        Assert.Equal(["Create new event", "renamed"], page.GetProperty("savedEvents").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("There is an error in your JSON event", page.GetProperty("refused").GetString());
        var events = Tools.Json(await Tools.AwsOkAsync(Node, "schemas", "describe-schema", "--registry-name", "lambda-testevent-schemas", "--schema-name", $"_{name}-schema"));
        var examples = Tools.Json(events.GetProperty("Content").GetString()!).GetProperty("components").GetProperty("examples");
        Assert.Equal(["renamed"], examples.EnumerateObject().Select(e => e.Name));
        Assert.Equal(1, examples.GetProperty("renamed").GetProperty("value").GetProperty("a").GetInt32());

        var configuration = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "get-function-configuration", "--function-name", name));
        Assert.Equal(256, configuration.GetProperty("MemorySize").GetInt32());
        Assert.Equal(7, configuration.GetProperty("Timeout").GetInt32());
        Assert.Equal("second, from the console", configuration.GetProperty("Description").GetString());
        Assert.Equal("hello from the console", configuration.GetProperty("Environment").GetProperty("Variables").GetProperty("GREETING").GetString());

        var concurrency = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "get-function-concurrency", "--function-name", name));
        Assert.Equal(5, concurrency.GetProperty("ReservedConcurrentExecutions").GetInt32());

        var url = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "get-function-url-config", "--function-name", name));
        Assert.Equal("NONE", url.GetProperty("AuthType").GetString());
        Assert.Equal("https://example.com", url.GetProperty("Cors").GetProperty("AllowOrigins")[0].GetString());
        Assert.Equal(page.GetProperty("url").GetString(), url.GetProperty("FunctionUrl").GetString());
        using (var http = new HttpClient())
        {
            // The URL the page shows answers without signing (auth type NONE, and the permission the console added).
            var id = new Uri(url.GetProperty("FunctionUrl").GetString()!).Host.Split('.')[0];
            using var answer = await http.GetAsync($"{Node.Endpoint}/_lambda/url/{id}/");
            Assert.Equal("hello from the console", await answer.Content.ReadAsStringAsync());
            // Served on the console's origin, the path form is confined as if it had its own: a CSP sandbox (an opaque
            // origin: no access to the console's session storage) and no service worker scope beyond its own path.
            Assert.StartsWith("sandbox", answer.Headers.GetValues("Content-Security-Policy").Single());
            Assert.False(answer.Headers.Contains("Service-Worker-Allowed"));
        }

        var mappings = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "list-event-source-mappings", "--function-name", name)).GetProperty("EventSourceMappings");
        var mapping = Assert.Single(mappings.EnumerateArray());
        Assert.Equal(queueArn, mapping.GetProperty("EventSourceArn").GetString());
        Assert.Equal(5, mapping.GetProperty("BatchSize").GetInt32());

        var invokeConfig = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "get-function-event-invoke-config", "--function-name", name));
        Assert.Equal(0, invokeConfig.GetProperty("MaximumRetryAttempts").GetInt32());
        Assert.Equal(120, invokeConfig.GetProperty("MaximumEventAgeInSeconds").GetInt32());

        var versions = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "list-versions-by-function", "--function-name", name)).GetProperty("Versions");
        Assert.Equal(["$LATEST", "1", "2"], versions.EnumerateArray().Select(v => v.GetProperty("Version").GetString()));
        Assert.Equal("v1 from the console", versions[1].GetProperty("Description").GetString());
        var alias = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "get-alias", "--function-name", name, "--name", "live"));
        Assert.Equal("2", alias.GetProperty("FunctionVersion").GetString());
        Assert.Equal(0.1, alias.GetProperty("RoutingConfig").GetProperty("AdditionalVersionWeights").GetProperty("1").GetDouble(), 3);

        await Tools.AwsOkAsync(Node, "lambda", "delete-event-source-mapping", "--uuid", mapping.GetProperty("UUID").GetString()!);
        await Tools.AwsOkAsync(Node, "lambda", "delete-function", "--function-name", name);
    }

    [Fact]
    public async Task ConsoleFiles_ArePublic_ItsViewsAndTestEventsNeedSignedCalls_AndBadInputIsRefused()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var root = await http.GetAsync($"{Node.Endpoint}/");
        Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
        Assert.Equal("/console/", root.Headers.Location!.OriginalString);
        var index = await http.GetAsync($"{Node.Endpoint}/console/");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Contains("script-src 'self'", index.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"{Node.Endpoint}/console/console.js")).StatusCode);

        // Nothing else is public: the console's API and the Schemas API want a signature; a path out of the folder is not a file.
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync($"{Node.Endpoint}/console-api/cluster")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync($"{Node.Endpoint}/v1/registries/name/lambda-testevent-schemas")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await http.GetAsync($"{Node.Endpoint}/console/%2e%2e/appsettings.json")).StatusCode);

        var signed = await http.SendAsync(Tools.Signed(Node.Endpoint, HttpMethod.Get, "/console-api/cluster", []));
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        var cluster = Tools.Json(await signed.Content.ReadAsStringAsync());
        Assert.Single(cluster.GetProperty("Silos").EnumerateArray());
        var badName = await http.SendAsync(Tools.Signed(Node.Endpoint, HttpMethod.Get, "/console-api/functions/no%20such!/metrics", []));
        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        var metrics = Tools.Json(await (await http.SendAsync(Tools.Signed(Node.Endpoint, HttpMethod.Get, "/console-api/functions/never-ran/metrics", []))).Content.ReadAsStringAsync());
        Assert.Equal(60, metrics.GetProperty("Points").GetArrayLength());

        // Test events (EventBridge Schemas): malformed and oversized content is refused and stores nothing.
        var registry = await Tools.AwsAsync(Node, "schemas", "create-registry", "--registry-name", "console-hostile");
        Assert.True(registry.ExitCode == 0, registry.Stderr);
        var notJson = await Tools.AwsAsync(Node, "schemas", "create-schema", "--registry-name", "console-hostile", "--schema-name", "_f-schema", "--type", "OpenApi3", "--content", "{not json");
        Assert.Contains("BadRequestException", notJson.Stderr);
        var file = Path.Combine(fixture.WorkDirectory, "huge-schema.json");
        await File.WriteAllTextAsync(file, $"{{\"x\":\"{new string('a', 100_000)}\"}}");
        var huge = await Tools.AwsAsync(Node, "schemas", "create-schema", "--registry-name", "console-hostile", "--schema-name", "_f-schema", "--type", "OpenApi3", "--content", $"file://{file}");
        Assert.Contains("BadRequestException", huge.Stderr);
        var badName2 = await Tools.AwsAsync(Node, "schemas", "create-schema", "--registry-name", "console-hostile", "--schema-name", "../x", "--type", "OpenApi3", "--content", "{}");
        Assert.NotEqual(0, badName2.ExitCode);
        var list = Tools.Json(await Tools.AwsOkAsync(Node, "schemas", "list-schemas", "--registry-name", "console-hostile"));
        Assert.Empty(list.GetProperty("Schemas").EnumerateArray());
        // A bucket named "console" is S3's, not the console's: signed requests never see the console's files.
        await Tools.AwsOkAsync(Node, "s3", "mb", "s3://console");
        var object_ = Path.Combine(fixture.WorkDirectory, "bucket-index.html");
        await File.WriteAllTextAsync(object_, "the bucket's own index");
        await Tools.AwsOkAsync(Node, "s3", "cp", object_, "s3://console/index.html");
        var copy = Path.Combine(fixture.WorkDirectory, "bucket-index-copy.html");
        await Tools.AwsOkAsync(Node, "s3", "cp", "s3://console/index.html", copy);
        Assert.Equal("the bucket's own index", await File.ReadAllTextAsync(copy));
        var listed = Tools.Json(await Tools.AwsOkAsync(Node, "s3api", "list-objects-v2", "--bucket", "console"));
        Assert.Equal("index.html", Assert.Single(listed.GetProperty("Contents").EnumerateArray()).GetProperty("Key").GetString());

        var missing = await Tools.AwsAsync(Node, "schemas", "describe-schema", "--registry-name", "no-such-registry", "--schema-name", "x");
        Assert.Contains("NotFoundException", missing.Stderr);
        Assert.Contains("ConflictException", (await Tools.AwsAsync(Node, "schemas", "create-registry", "--registry-name", "console-hostile")).Stderr);
    }
}

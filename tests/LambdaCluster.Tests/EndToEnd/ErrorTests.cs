using System.Text.Json;
using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>Bad input gets Lambda's error types and changes nothing; function failures surface as Lambda surfaces them.</summary>
[Collection(NodeCollection.Name), Trait("Category", "EndToEnd")]
public sealed class ErrorTests(NodeFixture fixture)
{
    private NodeProcess Node => fixture.Node;

    [Fact]
    public async Task CreateFunction_BadInput_GetsLambdasErrorsAndCreatesNothing()
    {
        var good = Tools.Zip(fixture.WorkDirectory, ("index.py", "def handler(e, c):\n    return 1\n"));

        // boto3 (the CLI checks --zip-file itself) sends the bytes as they are.
        var badZip = await Tools.RunAsync("python3", ["-c", $"import boto3,sys\ntry:\n  boto3.client('lambda', endpoint_url='{Node.Endpoint}', region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test').create_function(FunctionName='bad-zip', Runtime='python3.12', Handler='index.handler', Role='{Functions.Role}', Code={{'ZipFile': b'this is not a zip'}})\nexcept Exception as e:\n  sys.stderr.write(str(e))"]);
        Assert.Contains("InvalidParameterValueException", badZip.Stderr);
        Assert.Contains("Could not unzip uploaded file", badZip.Stderr);

        var badRuntime = await Create("bad-runtime", "python2.8", good);
        Assert.Contains("InvalidParameterValueException", badRuntime.Stderr);

        var badName = await Create("bad name!", "python3.12", good);
        Assert.Contains("ValidationException", badName.Stderr);

        var reserved = await Tools.AwsAsync(Node, "lambda", "create-function", "--function-name", "reserved-env", "--runtime", "python3.12",
            "--handler", "index.handler", "--role", Functions.Role, "--zip-file", $"fileb://{good}", "--environment", "Variables={AWS_REGION=x}");
        Assert.Contains("InvalidParameterValueException", reserved.Stderr);

        foreach (var name in new[] { "bad-zip", "bad-runtime", "reserved-env" })
        {
            Assert.Contains("ResourceNotFoundException", (await Tools.AwsAsync(Node, "lambda", "get-function", "--function-name", name)).Stderr);
        }

        Assert.Equal(0, (await Create("dup", "python3.12", good)).ExitCode);
        Assert.Contains("ResourceConflictException", (await Create("dup", "python3.12", good)).Stderr);
    }

    [Fact]
    public async Task Invoke_BadRequests_GetLambdasErrors()
    {
        var missing = await Tools.AwsAsync(Node, "lambda", "invoke", "--function-name", "does-not-exist", Path.Combine(fixture.WorkDirectory, "x.json"));
        Assert.Contains("ResourceNotFoundException", missing.Stderr);
        Assert.Contains("Function not found: arn:aws:lambda:us-east-1:000000000000:function:does-not-exist", missing.Stderr);

        var zip = Tools.Zip(fixture.WorkDirectory, ("index.py", "def handler(e, c):\n    return e\n"));
        Assert.Equal(0, (await Create("echo-errors", "python3.12", zip)).ExitCode);
        var malformed = await Tools.AwsAsync(Node, "lambda", "invoke", "--function-name", "echo-errors", "--payload", "{not json", Path.Combine(fixture.WorkDirectory, "y.json"));
        Assert.Contains("InvalidRequestContentException", malformed.Stderr);

        var big = Path.Combine(fixture.WorkDirectory, "big.json");
        await File.WriteAllTextAsync(big, "\"" + new string('a', 6 * 1024 * 1024 + 10) + "\"");
        var tooLarge = await Tools.AwsAsync(Node, "lambda", "invoke", "--function-name", "echo-errors", "--payload", $"fileb://{big}", Path.Combine(fixture.WorkDirectory, "z.json"));
        Assert.Contains("RequestTooLargeException", tooLarge.Stderr);
    }

    [Fact]
    public async Task Request_WithWrongSecret_IsRefusedBeforeAnythingRuns()
    {
        var result = await Tools.RunAsync(Tools.Aws, ["--endpoint-url", Node.Endpoint, "--region", "us-east-1", "lambda", "list-functions"], new()
        {
            ["AWS_ACCESS_KEY_ID"] = "test", ["AWS_SECRET_ACCESS_KEY"] = "wrong", ["AWS_CONFIG_FILE"] = "/nonexistent", ["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent",
        });
        Assert.Contains("InvalidSignatureException", result.Stderr);

        using var http = new HttpClient();
        var unsigned = await http.PostAsync($"{Node.Endpoint}/2015-03-31/functions/any/invocations", new StringContent("{}"));
        Assert.Equal(403, (int)unsigned.StatusCode);
        Assert.Equal("MissingAuthenticationTokenException", unsigned.Headers.GetValues("x-amzn-ErrorType").Single());
    }

    [Fact]
    public async Task FunctionFailures_SurfaceAsLambdaSurfacesThem()
    {
        var python = Tools.Zip(fixture.WorkDirectory, ("app.py", "import time\ndef boom(e, c):\n    raise ValueError('bad value')\ndef slow(e, c):\n    time.sleep(5)\ndef quick(e, c):\n    return 'ok'\ndef crash(e, c):\n    import os\n    os._exit(3)\n"));
        Assert.Equal(0, (await Create("fails-boom", "python3.12", python, "app.boom")).ExitCode);
        var boom = await Invoke("fails-boom");
        Assert.Equal("Unhandled", boom.Metadata.GetProperty("FunctionError").GetString());
        Assert.Equal("ValueError", boom.Body.GetProperty("errorType").GetString());
        Assert.Equal("bad value", boom.Body.GetProperty("errorMessage").GetString());

        Assert.Equal(0, (await Create("fails-import", "python3.12", python, "missing.handler")).ExitCode);
        var import = await Invoke("fails-import");
        Assert.Equal("Runtime.ImportModuleError", import.Body.GetProperty("errorType").GetString());
        Assert.Contains("Unable to import module 'missing'", import.Body.GetProperty("errorMessage").GetString());

        Assert.Equal(0, (await Tools.AwsAsync(Node, "lambda", "create-function", "--function-name", "fails-slow", "--runtime", "python3.12", "--handler", "app.slow",
            "--role", Functions.Role, "--zip-file", $"fileb://{python}", "--timeout", "1")).ExitCode);
        var slow = await Invoke("fails-slow");
        Assert.Equal("Sandbox.Timedout", slow.Body.GetProperty("errorType").GetString());
        Assert.Matches("^RequestId: [0-9a-f-]{36} Error: Task timed out after 1.00 seconds$", slow.Body.GetProperty("errorMessage").GetString());
        Assert.Contains("Task timed out after 1.00 seconds", slow.Tail);

        Assert.Equal(0, (await Create("fails-crash", "python3.12", python, "app.crash")).ExitCode);
        var crash = await Invoke("fails-crash");
        Assert.Equal("Runtime.ExitError", crash.Body.GetProperty("errorType").GetString());
        Assert.EndsWith("Runtime exited with error: exit status 3", crash.Body.GetProperty("errorMessage").GetString());

        // After a timeout the environment is gone; the next call gets a fresh one and succeeds.
        Assert.Equal(0, (await Tools.AwsAsync(Node, "lambda", "update-function-configuration", "--function-name", "fails-slow", "--handler", "app.quick")).ExitCode);
        var quick = await Invoke("fails-slow");
        Assert.Equal("ok", quick.Body.GetString());
    }

    [Fact]
    public async Task UpdateCodeAndConfiguration_NextInvocationSeesThem()
    {
        var v1 = Tools.Zip(fixture.WorkDirectory, ("index.mjs", "export const handler = async () => 'v1:' + process.env.GREETING;"));
        var v2 = Tools.Zip(fixture.WorkDirectory, ("index.mjs", "export const handler = async () => 'v2:' + process.env.GREETING;"));
        Assert.Equal(0, (await Tools.AwsAsync(Node, "lambda", "create-function", "--function-name", "updates", "--runtime", "nodejs20.x", "--handler", "index.handler",
            "--role", Functions.Role, "--zip-file", $"fileb://{v1}", "--environment", "Variables={GREETING=hello}")).ExitCode);
        Assert.Equal("v1:hello", (await Invoke("updates")).Body.GetString());

        var config = await Tools.AwsAsync(Node, "lambda", "update-function-configuration", "--function-name", "updates", "--environment", "Variables={GREETING=bye}", "--memory-size", "256");
        Assert.Equal(256, JsonDocument.Parse(config.Stdout).RootElement.GetProperty("MemorySize").GetInt32());
        Assert.Equal("v1:bye", (await Invoke("updates")).Body.GetString());

        var code = await Tools.AwsAsync(Node, "lambda", "update-function-code", "--function-name", "updates", "--zip-file", $"fileb://{v2}");
        Assert.Equal(0, code.ExitCode);
        Assert.Equal("v2:bye", (await Invoke("updates")).Body.GetString());
    }

    private Task<ProcessResult> Create(string name, string runtime, string zip, string handler = "index.handler") =>
        Tools.AwsAsync(Node, "lambda", "create-function", "--function-name", name, "--runtime", runtime, "--handler", handler, "--role", Functions.Role, "--zip-file", $"fileb://{zip}");

    private async Task<(JsonElement Metadata, JsonElement Body, string Tail)> Invoke(string name)
    {
        var outFile = Path.Combine(fixture.WorkDirectory, $"{Guid.NewGuid():N}.json");
        var result = await Tools.AwsAsync(Node, "lambda", "invoke", "--function-name", name, "--log-type", "Tail", outFile);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var metadata = JsonDocument.Parse(result.Stdout).RootElement;
        var tail = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(metadata.GetProperty("LogResult").GetString()!));
        return (metadata, JsonDocument.Parse(await File.ReadAllTextAsync(outFile)).RootElement, tail);
    }
}

using System.Text.Json;
using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// Container image functions through the aws CLI: images built on this machine (busybox-static and a shell runtime of
/// Lambda's Runtime API), pushed to a docker-registry the test starts, created, pulled, run and updated.
/// </summary>
/// <remarks>On the integration node: the shared node's collection is the suite's longest path.</remarks>
[Collection(IntegrationNodeCollection.Name), Trait("Category", "EndToEnd")]
public sealed class ContainerImageTests(IntegrationNodeFixture fixture)
{
    /// <summary>
    /// A custom runtime in busybox's sh: each event is answered with the handler it was started with (its CMD), the event,
    /// its working directory, its user and the image's IMAGE_TAG variable.
    /// </summary>
    private const string Bootstrap =
        """
        #!/bin/sh
        api="http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/invocation"
        while true; do
          wget -q -S -O /tmp/event "$api/next" 2>/tmp/headers
          id=$(grep -i 'Lambda-Runtime-Aws-Request-Id' /tmp/headers | tr -d '\r' | sed 's/.*: //')
          echo "handling $id with $1"
          wget -q -O /dev/null --header 'Content-Type: application/json' \
            --post-data "{\"handler\":\"$1\",\"event\":$(cat /tmp/event),\"cwd\":\"$(pwd)\",\"uid\":$(id -u),\"tag\":\"$IMAGE_TAG\",\"handlerVariable\":\"$_HANDLER\"}" "$api/$id/response"
        done
        """;

    private NodeProcess Node => fixture.Node;

    [Fact]
    public async Task ImageFunction_IsPendingUntilPulled_RunsItsEntrypoint_AndFollowsImageConfigAndNewImages()
    {
        await using var registry = await LocalRegistry.StartAsync(fixture.WorkDirectory);
        var (v1Digest, _) = await BusyboxImage("v1").PushAsync(registry.Host, "lambda/busybox-runtime", "v1", asIndex: true);
        var uri = $"{registry.Host}/lambda/busybox-runtime:v1";

        var created = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "create-function", "--function-name", "image-fn", "--package-type", "Image",
            "--code", $"ImageUri={uri}", "--role", Functions.Role));
        Assert.Equal("Image", created.GetProperty("PackageType").GetString());
        Assert.Equal("Pending", created.GetProperty("State").GetString());
        Assert.False(created.TryGetProperty("Runtime", out _));
        Assert.False(created.TryGetProperty("Handler", out _));
        Assert.Equal(v1Digest["sha256:".Length..], created.GetProperty("CodeSha256").GetString());

        await Tools.AwsOkAsync(Node, "lambda", "wait", "function-active-v2", "--function-name", "image-fn");
        var function = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "get-function", "--function-name", "image-fn"));
        Assert.Equal("Active", function.GetProperty("Configuration").GetProperty("State").GetString());
        var code = function.GetProperty("Code");
        Assert.Equal("ECR", code.GetProperty("RepositoryType").GetString());
        Assert.Equal(uri, code.GetProperty("ImageUri").GetString());
        Assert.Equal($"{registry.Host}/lambda/busybox-runtime@{v1Digest}", code.GetProperty("ResolvedImageUri").GetString()); // the index's linux/amd64 image

        var cold = await InvokeAsync("image-fn");
        Assert.Equal("handler.one", cold.Answer.GetProperty("handler").GetString());
        Assert.Equal("/var/task", cold.Answer.GetProperty("cwd").GetString()); // Lambda's default working directory
        Assert.Equal("v1", cold.Answer.GetProperty("tag").GetString()); // the image's ENV
        Assert.Equal("handler.one", cold.Answer.GetProperty("handlerVariable").GetString());
        Assert.NotEqual(0, cold.Answer.GetProperty("uid").GetInt32()); // not root
        Assert.Equal(7, cold.Answer.GetProperty("event").GetProperty("n").GetInt32());
        Assert.Contains("Init Duration", cold.Tail);
        Assert.Contains("handling", cold.Tail);
        var warm = await InvokeAsync("image-fn");
        Assert.DoesNotContain("Init Duration", warm.Tail);

        // ImageConfig overrides the image's CMD and working directory.
        var configuring = await Tools.AwsBatchAsync(Node,
            ["lambda", "update-function-configuration", "--function-name", "image-fn", "--image-config", "Command=handler.two,WorkingDirectory=/tmp"],
            ["lambda", "wait", "function-updated-v2", "--function-name", "image-fn"]);
        Assert.All(configuring, done => Assert.True(done.ExitCode == 0, done.Stderr));
        var configured = await InvokeAsync("image-fn");
        Assert.Equal("handler.two", configured.Answer.GetProperty("handler").GetString());
        Assert.Equal("/tmp", configured.Answer.GetProperty("cwd").GetString());
        var configuration = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "get-function-configuration", "--function-name", "image-fn"));
        var imageConfig = configuration.GetProperty("ImageConfigResponse").GetProperty("ImageConfig");
        Assert.Equal(["handler.two"], imageConfig.GetProperty("Command").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("/tmp", imageConfig.GetProperty("WorkingDirectory").GetString());
        Assert.False(imageConfig.TryGetProperty("EntryPoint", out _));

        // A new image: pinned at the update, pulled, and run by the next cold start.
        var (v2Digest, _) = await BusyboxImage("v2").PushAsync(registry.Host, "lambda/busybox-runtime", "v2");
        var updated = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "update-function-code", "--function-name", "image-fn", "--image-uri", $"{registry.Host}/lambda/busybox-runtime:v2"));
        Assert.Equal("InProgress", updated.GetProperty("LastUpdateStatus").GetString());
        await Tools.AwsOkAsync(Node, "lambda", "wait", "function-updated-v2", "--function-name", "image-fn");
        Assert.Equal("v2", (await InvokeAsync("image-fn")).Answer.GetProperty("tag").GetString());
        Assert.EndsWith(v2Digest, Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "get-function", "--function-name", "image-fn")).GetProperty("Code").GetProperty("ResolvedImageUri").GetString(), StringComparison.Ordinal);

        // What Lambda refuses, and nothing changes (one CLI process for them all).
        var refused = await Tools.AwsBatchAsync(Node,
            ["lambda", "create-function", "--function-name", "image-missing", "--package-type", "Image", "--code", $"ImageUri={registry.Host}/lambda/busybox-runtime:nope", "--role", Functions.Role],
            ["lambda", "create-function", "--function-name", "image-malformed", "--package-type", "Image", "--code", "ImageUri=not an image", "--role", Functions.Role],
            ["lambda", "update-function-code", "--function-name", "image-fn", "--zip-file", $"fileb://{Tools.Zip(fixture.WorkDirectory, ("bootstrap", "#!/bin/sh\n"))}"],
            ["lambda", "update-function-configuration", "--function-name", "image-fn", "--layers", "arn:aws:lambda:us-east-1:000000000000:layer:any:1"],
            ["lambda", "create-function", "--function-name", "image-unreachable", "--package-type", "Image", "--code", $"ImageUri={UnreachableRegistry()}/lambda/busybox-runtime:v1", "--role", Functions.Role],
            ["lambda", "get-function", "--function-name", "image-missing"],
            ["lambda", "get-function", "--function-name", "image-malformed"],
            ["lambda", "get-function", "--function-name", "image-unreachable"]);
        Assert.Contains($"Source image {registry.Host}/lambda/busybox-runtime:nope does not exist. Provide a valid source image.", refused[0].Stderr);
        Assert.Contains("Source image not an image is not valid. Provide a valid source image.", refused[1].Stderr);
        Assert.Contains("Please provide ImageUri when updating a function with packageType Image.", refused[2].Stderr);
        Assert.Contains("InvalidParameterValueException", refused[3].Stderr);
        Assert.Contains("Lambda does not have permission to access the ECR image. Check the ECR permissions.", refused[4].Stderr); // no registry answers there
        Assert.All(refused.Skip(5), gone => Assert.Contains("ResourceNotFoundException", gone.Stderr));
    }

    [Fact]
    public async Task AnImageWhoseLayerIsGone_FailsTheFunctionWithImageDeleted()
    {
        await using var registry = await LocalRegistry.StartAsync(fixture.WorkDirectory);
        var (_, layers) = await BusyboxImage("lost").PushAsync(registry.Host, "lambda/lost", "v1");
        registry.LoseBlob(layers[^1]);

        await Tools.AwsOkAsync(Node, "lambda", "create-function", "--function-name", "image-lost", "--package-type", "Image", "--code", $"ImageUri={registry.Host}/lambda/lost:v1", "--role", Functions.Role);
        var waited = await Tools.AwsAsync(Node, "lambda", "wait", "function-active-v2", "--function-name", "image-lost");
        Assert.NotEqual(0, waited.ExitCode); // the waiter stops at Failed
        var configuration = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "get-function-configuration", "--function-name", "image-lost"));
        Assert.Equal("Failed", configuration.GetProperty("State").GetString());
        Assert.Equal("ImageDeleted", configuration.GetProperty("StateReasonCode").GetString());
        var invoked = await Tools.AwsAsync(Node, "lambda", "invoke", "--function-name", "image-lost", Path.Combine(fixture.WorkDirectory, "lost.json"));
        Assert.Contains("ResourceConflictException", invoked.Stderr);
        Assert.Contains("The function is currently in the following state: Failed", invoked.Stderr);
    }

    [Fact]
    public async Task AFailedImageUpdate_IsAbandoned_AndThePreviousImageKeepsRunning()
    {
        await using var registry = await LocalRegistry.StartAsync(fixture.WorkDirectory);
        var (keptDigest, _) = await BusyboxImage("kept").PushAsync(registry.Host, "lambda/kept", "v1");
        var (_, layers) = await BusyboxImage("broken").PushAsync(registry.Host, "lambda/kept", "broken");
        registry.LoseBlob(layers[^1]);
        var created = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "create-function", "--function-name", "image-kept", "--package-type", "Image",
            "--code", $"ImageUri={registry.Host}/lambda/kept:v1", "--role", Functions.Role, "--publish"));
        Assert.Equal(("1", "Pending"), (created.GetProperty("Version").GetString(), created.GetProperty("State").GetString())); // published with the create, pending with it
        await Tools.AwsOkAsync(Node, "lambda", "wait", "function-active-v2", "--function-name", "image-kept");
        await Tools.AwsOkAsync(Node, "lambda", "wait", "function-active-v2", "--function-name", "image-kept", "--qualifier", "1");
        Assert.Equal("kept", (await InvokeAsync("image-kept")).Answer.GetProperty("tag").GetString());
        Assert.Equal("kept", (await InvokeAsync("image-kept:1")).Answer.GetProperty("tag").GetString());

        var updating = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "update-function-code", "--function-name", "image-kept", "--image-uri", $"{registry.Host}/lambda/kept:broken"));
        Assert.Equal("InProgress", updating.GetProperty("LastUpdateStatus").GetString());
        var waited = await Tools.AwsAsync(Node, "lambda", "wait", "function-updated-v2", "--function-name", "image-kept");
        Assert.NotEqual(0, waited.ExitCode); // the waiter stops at Failed

        // As Lambda abandons a failed update: the previous code and configuration are $LATEST again, and they run.
        var configuration = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "get-function-configuration", "--function-name", "image-kept"));
        Assert.Equal(("Active", "Failed", "ImageDeleted"), (configuration.GetProperty("State").GetString(), configuration.GetProperty("LastUpdateStatus").GetString(),
            configuration.GetProperty("LastUpdateStatusReasonCode").GetString()));
        Assert.Equal(keptDigest["sha256:".Length..], configuration.GetProperty("CodeSha256").GetString());
        Assert.Equal("kept", (await InvokeAsync("image-kept")).Answer.GetProperty("tag").GetString());
        var published = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "publish-version", "--function-name", "image-kept"));
        Assert.Equal(("1", keptDigest["sha256:".Length..]), (published.GetProperty("Version").GetString(), published.GetProperty("CodeSha256").GetString())); // $LATEST is version 1 again
    }

    /// <summary>
    /// AWS's Node.js runtime interface client from npm, unmodified, in an image of this machine's Node.js (the binary and
    /// the libraries ldd names): the image's ENTRYPOINT is the client, its CMD the handler, as in AWS's own Node.js images.
    /// </summary>
    [Fact]
    public async Task AwsLambdaRic_InANodeJsImage_ServesColdAndWarmInvocations()
    {
        await Tools.WaitForRuntimeInterfaceClientAsync();
        await using var registry = await LocalRegistry.StartAsync(fixture.WorkDirectory);
        var image = new OciImageBuilder();
        var modules = Tools.RepositoryFile("tests", "LambdaCluster.Tests", "EndToEnd", "js", "node_modules");
        List<string> executables = ["/usr/bin/node"];
        foreach (var package in new[] { "aws-lambda-ric", "@aws/lambda-invoke-store" })
        {
            var root = Path.Combine(modules, package);
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Where(f => new FileInfo(f).LinkTarget is null))
            {
                image.File($"var/task/node_modules/{package}/{Path.GetRelativePath(root, file)}", await File.ReadAllBytesAsync(file), File.GetUnixFileMode(file));
                if (file.EndsWith(".node", StringComparison.Ordinal))
                {
                    executables.Add(file);
                }
            }
        }

        var libraries = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var executable in executables)
        {
            var ldd = await Tools.RunAsync("ldd", [executable]);
            foreach (var line in ldd.Stdout.Split('\n'))
            {
                var path = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(p => p.StartsWith('/')); // the loader's line has no "=>"
                if (path is not null)
                {
                    libraries.Add(path);
                }
            }
        }

        image.File("usr/bin/node", await File.ReadAllBytesAsync("/usr/bin/node"));
        foreach (var library in libraries)
        {
            image.File(library.TrimStart('/'), await File.ReadAllBytesAsync(library)); // the file a link names, at the link's path
        }

        image.File("var/task/index.mjs", "export const handler = async (event, context) => { console.log('ric in an image says hi'); return { got: event, fn: context.functionName }; };\n", (UnixFileMode)0b110_100_100);
        image.Entrypoint.AddRange(["/usr/bin/node", "/var/task/node_modules/aws-lambda-ric/index.mjs"]);
        image.Cmd.Add("index.handler");
        await image.PushAsync(registry.Host, "lambda/nodejs-ric", "latest");

        await Tools.AwsOkAsync(Node, "lambda", "create-function", "--function-name", "ric-image", "--package-type", "Image", "--code", $"ImageUri={registry.Host}/lambda/nodejs-ric", "--role", Functions.Role, "--timeout", "30");
        await Tools.AwsOkAsync(Node, "lambda", "wait", "function-active-v2", "--function-name", "ric-image");
        var cold = await InvokeAsync("ric-image");
        var warm = await InvokeAsync("ric-image");
        Assert.Equal(7, cold.Answer.GetProperty("got").GetProperty("n").GetInt32());
        Assert.Equal("ric-image", cold.Answer.GetProperty("fn").GetString());
        Assert.Contains("ric in an image says hi", cold.Tail);
        Assert.Contains("Init Duration", cold.Tail);
        Assert.DoesNotContain("Init Duration", warm.Tail);
    }

    /// <summary>A loopback address and port where nothing listens (the port was free a moment ago).</summary>
    private static string UnreachableRegistry()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return $"127.0.0.1:{((System.Net.IPEndPoint)listener.LocalEndpoint).Port}";
    }

    /// <summary>busybox-static with the applets the runtime uses, the bootstrap at /var/task, started as its ENTRYPOINT with the handler as its CMD; a second layer adds one file and removes another.</summary>
    private static OciImageBuilder BusyboxImage(string tag)
    {
        var image = new OciImageBuilder().File("bin/busybox", File.ReadAllBytes("/bin/busybox"));
        foreach (var applet in new[] { "sh", "wget", "grep", "tr", "sed", "cat", "id", "sleep", "rm" })
        {
            image.Symlink($"bin/{applet}", "busybox");
        }

        image.File("var/task/bootstrap", Bootstrap).File("var/task/old", "removed by the next layer")
            .Layer().File("var/task/tag", tag).Remove("var/task/old");
        image.Entrypoint.AddRange(["/bin/sh", "/var/task/bootstrap"]);
        image.Cmd.Add("handler.one");
        image.Env.Add($"IMAGE_TAG={tag}");
        return image;
    }

    private async Task<(JsonElement Answer, string Tail)> InvokeAsync(string name)
    {
        var outFile = Path.Combine(fixture.WorkDirectory, $"{name}-{Guid.NewGuid():N}.json");
        var invoked = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "invoke", "--function-name", name, "--log-type", "Tail", "--payload", "{\"n\":7}", outFile));
        var answer = await File.ReadAllTextAsync(outFile);
        var tail = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(invoked.GetProperty("LogResult").GetString()!));
        Assert.False(invoked.TryGetProperty("FunctionError", out _), $"{answer}\n{tail}");
        return (JsonDocument.Parse(answer).RootElement.Clone(), tail);
    }
}

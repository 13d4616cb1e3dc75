using System.Text.Json;
using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>Layers through the aws CLI: a Python and a Node.js function import a library they do not ship.</summary>
[Collection(NodeCollection.Name), Trait("Category", "EndToEnd")]
public sealed class LayerTests(NodeFixture fixture)
{
    private NodeProcess Node => fixture.Node;

    [Fact]
    public async Task Functions_ImportLibrariesFromLayers_InLayerOrder()
    {
        var pyLayer = await PublishAsync("py-greeting", "python3.12", ("python/greeting.py", "def hello(name):\n    return f'hello {name} from a layer'\n"));
        var pyOverride = await PublishAsync("py-greeting-override", "python3.12", ("python/greeting.py", "def hello(name):\n    return f'hi {name} from the later layer'\n"));
        var nodeLayer = await PublishAsync("node-greeting", "nodejs22.x", ("nodejs/node_modules/greeting/index.js", "module.exports = (name) => `hello ${name} from a layer`;\n"));

        await CreateAsync("layered-py", "python3.12", "index.handler", ("index.py", "import greeting\ndef handler(event, context):\n    return [greeting.hello(event['name']), greeting.__file__]\n"), pyLayer);
        await CreateAsync("layered-node", "nodejs22.x", "index.handler", ("index.js", "const greet = require('greeting');\nexports.handler = async (event) => greet(event.name);\n"), nodeLayer);
        await CreateAsync("layered-order", "python3.12", "index.handler", ("index.py", "from greeting import hello\ndef handler(event, context):\n    return hello(event['name'])\n"), pyLayer, pyOverride);

        Assert.Equal("[\"hello py from a layer\", \"/opt/python/greeting.py\"]", await InvokeAsync("layered-py", "{\"name\":\"py\"}")); // mounted where Lambda mounts layers
        Assert.Equal("\"hello node from a layer\"", await InvokeAsync("layered-node", "{\"name\":\"node\"}"));
        Assert.Equal("\"hi order from the later layer\"", await InvokeAsync("layered-order", "{\"name\":\"order\"}"));

        var configuration = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "get-function-configuration", "--function-name", "layered-order")).GetProperty("Layers");
        Assert.Equal([pyLayer, pyOverride], configuration.EnumerateArray().Select(l => l.GetProperty("Arn").GetString()));
        Assert.True(configuration[0].GetProperty("CodeSize").GetInt64() > 0);
    }

    [Fact]
    public async Task LayerVersions_AreReadListedAndDeleted_AndBadReferencesChangeNothing()
    {
        var first = await PublishAsync("lifecycle-layer", "python3.12", ("python/a.py", "A = 1\n"));
        var second = await PublishAsync("lifecycle-layer", "python3.13", ("python/a.py", "A = 2\n"));
        Assert.EndsWith(":lifecycle-layer:1", first, StringComparison.Ordinal);
        Assert.EndsWith(":lifecycle-layer:2", second, StringComparison.Ordinal);

        var zip = Tools.Zip(fixture.WorkDirectory, ("index.py", "def handler(e, c):\n    return 1\n"));
        string[] Create(string name, params string[] layers) =>
            ["lambda", "create-function", "--function-name", name, "--runtime", "python3.12", "--handler", "index.handler", "--role", Functions.Role, "--zip-file", $"fileb://{zip}", "--layers", .. layers];

        // One CLI process for the whole sequence (none needs an answer of the one before).
        var results = await Tools.AwsBatchAsync(Node,
            ["lambda", "get-layer-version", "--layer-name", "lifecycle-layer", "--version-number", "1"],
            ["lambda", "get-layer-version-by-arn", "--arn", second],
            ["lambda", "list-layer-versions", "--layer-name", "lifecycle-layer"],
            ["lambda", "list-layers", "--compatible-runtime", "python3.12"],
            Create("six-layers", [.. Enumerable.Repeat(first, 6)]),
            Create("same-layer-twice", first, second),
            ["lambda", "delete-layer-version", "--layer-name", "lifecycle-layer", "--version-number", "1"],
            ["lambda", "get-layer-version", "--layer-name", "lifecycle-layer", "--version-number", "1"],
            Create("missing-layer", first),
            ["lambda", "get-function", "--function-name", "six-layers"],
            ["lambda", "get-function", "--function-name", "same-layer-twice"],
            ["lambda", "get-function", "--function-name", "missing-layer"]);

        var got = Tools.Json(results[0].Stdout);
        Assert.Equal(first, got.GetProperty("LayerVersionArn").GetString());
        Assert.Equal(["python3.12"], got.GetProperty("CompatibleRuntimes").EnumerateArray().Select(r => r.GetString()));
        Assert.StartsWith("http", got.GetProperty("Content").GetProperty("Location").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, Tools.Json(results[1].Stdout).GetProperty("Version").GetInt64());
        Assert.Equal([2L, 1L], Tools.Json(results[2].Stdout).GetProperty("LayerVersions").EnumerateArray().Select(v => v.GetProperty("Version").GetInt64()));
        var listed = Tools.Json(results[3].Stdout).GetProperty("Layers").EnumerateArray().Single(l => l.GetProperty("LayerName").GetString() == "lifecycle-layer");
        Assert.Equal(first, listed.GetProperty("LatestMatchingVersion").GetProperty("LayerVersionArn").GetString());

        Assert.Contains("Cannot reference more than 5 layers.", results[4].Stderr);
        Assert.Contains("InvalidParameterValueException", results[5].Stderr);
        Assert.True(results[6].ExitCode == 0, results[6].Stderr);
        Assert.Contains("ResourceNotFoundException", results[7].Stderr);
        Assert.Contains($"Layer version {first} does not exist.", results[8].Stderr);
        Assert.All(results.Skip(9), gone => Assert.Contains("ResourceNotFoundException", gone.Stderr));
    }

    private async Task<string> PublishAsync(string layer, string runtime, params (string Name, string Content)[] files)
    {
        var zip = Tools.Zip(fixture.WorkDirectory, files);
        var published = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "publish-layer-version", "--layer-name", layer, "--zip-file", $"fileb://{zip}", "--compatible-runtimes", runtime));
        return published.GetProperty("LayerVersionArn").GetString()!;
    }

    private async Task CreateAsync(string name, string runtime, string handler, (string Name, string Content) file, params string[] layers)
    {
        var zip = Tools.Zip(fixture.WorkDirectory, file);
        await Tools.AwsOkAsync(Node, ["lambda", "create-function", "--function-name", name, "--runtime", runtime, "--handler", handler, "--role", Functions.Role, "--zip-file", $"fileb://{zip}", "--layers", .. layers]);
    }

    private async Task<string> InvokeAsync(string name, string payload)
    {
        var outFile = Path.Combine(fixture.WorkDirectory, $"{name}.json");
        var invoked = Tools.Json(await Tools.AwsOkAsync(Node, "lambda", "invoke", "--function-name", name, "--payload", payload, outFile));
        Assert.False(invoked.TryGetProperty("FunctionError", out _), await File.ReadAllTextAsync(outFile));
        return await File.ReadAllTextAsync(outFile);
    }
}

using System.IO.Compression;
using System.Text.Json;
using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>Unmodified third-party runtime clients as provided runtimes: the documented shell bootstrap and AWS's aws-lambda-ric.</summary>
[Collection(NodeCollection.Name), Trait("Category", "EndToEnd")]
public sealed class ProvidedRuntimeTests(NodeFixture fixture)
{
    /// <summary>The bootstrap and handler of Lambda's custom-runtime tutorial, as published.</summary>
    private const string DocumentedBootstrap = """
        #!/bin/sh

        set -euo pipefail

        # Initialization - load function handler
        source $LAMBDA_TASK_ROOT/"$(echo $_HANDLER | cut -d. -f1).sh"

        # Processing
        while true
        do
          HEADERS="$(mktemp)"
          # Get an event. The HTTP request will block until one is received
          EVENT_DATA=$(curl -sS -LD "$HEADERS" "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next")

          # Extract request ID by scraping response headers received above
          REQUEST_ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)

          # Run the handler function from the script
          RESPONSE=$($(echo "$_HANDLER" | cut -d. -f2) "$EVENT_DATA")

          # Send the response
          curl "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/$REQUEST_ID/response"  -d "$RESPONSE"
        done
        """;

    private const string DocumentedHandler = """
        function handler () {
          EVENT_DATA=$1
          echo "$EVENT_DATA" 1>&2;
          RESPONSE="Echoing request: '$EVENT_DATA'"

          echo $RESPONSE
        }
        """;

    [Fact]
    public async Task ShellBootstrap_ServesColdAndWarmInvocations()
    {
        var zip = Tools.Zip(fixture.WorkDirectory, ("bootstrap", DocumentedBootstrap + "\n"), ("function.sh", DocumentedHandler + "\n"));
        Assert.Equal(0, (await Create("shell-bootstrap", zip, "function.handler")).ExitCode);
        var cold = await Invoke("shell-bootstrap");
        var warm = await Invoke("shell-bootstrap");
        Assert.Equal("Echoing request: '{\"text\":\"Hello\"}'", cold.Body);
        Assert.Contains("Init Duration", cold.Tail);
        Assert.Equal("Echoing request: '{\"text\":\"Hello\"}'", warm.Body);
        Assert.DoesNotContain("Init Duration", warm.Tail);
    }

    [Fact]
    public async Task AwsLambdaRic_ServesColdAndWarmInvocations()
    {
        var modules = Tools.RepositoryFile("tests", "LambdaCluster.Tests", "EndToEnd", "js", "node_modules");
        var zip = Path.Combine(fixture.WorkDirectory, "ric.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            foreach (var package in new[] { "aws-lambda-ric", "@aws/lambda-invoke-store" })
            {
                var root = Path.Combine(modules, package);
                foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
                {
                    var entry = archive.CreateEntryFromFile(file, $"node_modules/{package}/{Path.GetRelativePath(root, file)}");
                    entry.ExternalAttributes = (int)File.GetUnixFileMode(file) << 16;
                }
            }

            Add(archive, "bootstrap", "#!/bin/sh\ncd \"$LAMBDA_TASK_ROOT\"\nexec node node_modules/aws-lambda-ric/index.mjs \"$_HANDLER\"\n", 0b111_101_101);
            Add(archive, "index.mjs", "export const handler = async (event, context) => { console.log('ric says hi'); return { got: event, fn: context.functionName }; };\n", 0b110_100_100);
        }

        Assert.Equal(0, (await Create("aws-lambda-ric", zip, "index.handler")).ExitCode);
        var cold = await Invoke("aws-lambda-ric");
        var warm = await Invoke("aws-lambda-ric");
        Assert.Equal("{\"got\":{\"text\":\"Hello\"},\"fn\":\"aws-lambda-ric\"}", cold.Body);
        Assert.Contains("ric says hi", cold.Tail);
        Assert.Contains("Init Duration", cold.Tail);
        Assert.Equal(cold.Body, warm.Body);
        Assert.DoesNotContain("Init Duration", warm.Tail);
    }

    private static void Add(ZipArchive archive, string name, string content, int mode)
    {
        var entry = archive.CreateEntry(name);
        entry.ExternalAttributes = mode << 16;
        using var writer = new StreamWriter(entry.Open());
        writer.Write(content);
    }

    private Task<ProcessResult> Create(string name, string zip, string handler) =>
        Tools.AwsAsync(fixture.Node, "lambda", "create-function", "--function-name", name, "--runtime", "provided.al2023", "--handler", handler, "--role", Functions.Role, "--zip-file", $"fileb://{zip}");

    private async Task<(string Body, string Tail)> Invoke(string name)
    {
        var outFile = Path.Combine(fixture.WorkDirectory, $"{Guid.NewGuid():N}.json");
        var result = await Tools.AwsAsync(fixture.Node, "lambda", "invoke", "--function-name", name, "--payload", "{\"text\":\"Hello\"}", "--log-type", "Tail", outFile);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var tail = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(JsonDocument.Parse(result.Stdout).RootElement.GetProperty("LogResult").GetString()!));
        return (await File.ReadAllTextAsync(outFile), tail);
    }
}

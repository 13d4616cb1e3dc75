using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// Every operation of botocore's Lambda service model (the one the installed aws CLI uses) reaches a handler of the
/// gateway: a signed request to its path and method is answered by Lambda's API (a result or a typed error with
/// <c>x-amzn-ErrorType</c>), never by the web server's bare 404/405 for a route it does not know. Lambda Managed
/// Instances (capacity providers and their scaling config) and durable executions are left out for now.
/// </summary>
[Collection(NodeCollection.Name), Trait("Category", "EndToEnd")]
public sealed partial class ApiCoverageTests(NodeFixture fixture)
{
    [Fact]
    public async Task EveryOperationInBotocoresLambdaModel_IsRouted()
    {
        var operations = await ModelOperationsAsync();
        Assert.True(operations.Count > 80, $"only {operations.Count} operations in the model");

        using var http = new HttpClient();
        var unrouted = new List<string>();
        foreach (var (name, method, uri) in operations.Where(o => !OutOfScope(o.Name)))
        {
            using var request = Tools.Signed(fixture.Node.Endpoint, new HttpMethod(method), Path(uri), "{}"u8.ToArray());
            using var response = await http.SendAsync(request);
            // A refused signature (403) would hide whether anything is behind the path: it counts as not routed.
            if (response.StatusCode == System.Net.HttpStatusCode.Forbidden || (!response.IsSuccessStatusCode && !response.Headers.Contains("x-amzn-ErrorType")))
            {
                unrouted.Add($"{name} ({method} {uri}: {(int)response.StatusCode})");
            }
        }

        Assert.True(unrouted.Count == 0, "not routed: " + string.Join(", ", unrouted));
    }

    private static bool OutOfScope(string operation) =>
        operation.Contains("CapacityProvider", StringComparison.Ordinal)
        || operation.Contains("DurableExecution", StringComparison.Ordinal)
        || operation is "GetFunctionScalingConfig" or "PutFunctionScalingConfig";

    /// <summary>The model's request URI with a plausible value in each label (names, numbers, ARNs as each label wants).</summary>
    private static string Path(string uri) => Label().Replace(uri, match => match.Groups["name"].Value switch
    {
        "FunctionName" => "coverage-missing",
        "VersionNumber" => "1",
        "UUID" => "00000000-0000-0000-0000-000000000000",
        "Resource" => Uri.EscapeDataString("arn:aws:lambda:us-east-1:000000000000:function:coverage-missing"),
        "CodeSigningConfigArn" => Uri.EscapeDataString("arn:aws:lambda:us-east-1:000000000000:code-signing-config:csc-0000000000000000a"),
        _ => "coverage-missing",
    });

    /// <summary>(name, HTTP method, request URI) of every operation, read from the service model the aws CLI ships with.</summary>
    private static async Task<List<(string Name, string Method, string Uri)>> ModelOperationsAsync()
    {
        var botocore = await Tools.RunAsync(Tools.BotoPython, ["-c", "import botocore, os; print(os.path.dirname(botocore.__file__))"]);
        Assert.True(botocore.ExitCode == 0, botocore.Stderr);
        var model = System.IO.Path.Combine(botocore.Stdout.Trim(), "data", "lambda", "2015-03-31", "service-2.json.gz");
        await using var file = File.OpenRead(model);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var document = await JsonDocument.ParseAsync(gzip);
        return [.. document.RootElement.GetProperty("operations").EnumerateObject().Select(o =>
            (o.Name, o.Value.GetProperty("http").GetProperty("method").GetString()!, o.Value.GetProperty("http").GetProperty("requestUri").GetString()!))];
    }

    [GeneratedRegex(@"\{(?<name>[A-Za-z]+)\+?\}")]
    private static partial Regex Label();
}

using System.Text.Json;
using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// With an OTLP endpoint configured (nothing listens there; export failures are the exporter's business) every
/// invocation is traced, and the trace the caller started reaches the function as <c>_X_AMZN_TRACE_ID</c>.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class TracingTests : IAsyncLifetime
{
    private readonly string _workDirectory = Directory.CreateTempSubdirectory("lambda-tracing-").FullName;
    private NodeProcess _node = null!;

    public async Task InitializeAsync() =>
        _node = await NodeProcess.StartAsync(Path.Combine(_workDirectory, "data"), new Dictionary<string, string> { ["Telemetry:OtlpEndpoint"] = "http://127.0.0.1:9" });

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Directory.Delete(_workDirectory, recursive: true);
    }

    [Fact]
    public async Task CallersW3CTrace_ReachesTheFunctionAsItsXRayTraceId()
    {
        var zip = Tools.Zip(_workDirectory, ("index.py", "import os\ndef handler(event, context):\n    return os.environ.get('_X_AMZN_TRACE_ID')\n"));
        var created = await Tools.AwsAsync(_node, "lambda", "create-function", "--function-name", "traced", "--runtime", "python3.12", "--handler", "index.handler", "--role", Functions.Role, "--zip-file", $"fileb://{zip}");
        Assert.True(created.ExitCode == 0, created.Stderr);
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";

        using var http = new HttpClient();
        using var request = Tools.Signed(_node.Endpoint, HttpMethod.Post, "/2015-03-31/functions/traced/invocations", "{}"u8.ToArray());
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");
        using var response = await http.SendAsync(request);

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var seen = JsonSerializer.Deserialize<string>(await response.Content.ReadAsStringAsync())!;
        Assert.StartsWith($"Root=1-{traceId[..8]}-{traceId[8..]};Parent=", seen, StringComparison.Ordinal);
        // As on Lambda, the header ends with the chain's Lineage (recursive loop detection): this function, once.
        Assert.Matches(@";Sampled=1;Lineage=[0-9a-f]{8}:1$", seen);
    }
}

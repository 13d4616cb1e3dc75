using System.Text;
using System.Text.Json;
using LambdaCluster.Grains.Invocation;
using LambdaCluster.Runtimes.Invocation;
using Microsoft.Extensions.DependencyInjection;

namespace LambdaCluster.Tests.Cluster;

/// <summary>
/// Invokes through the same invoker the gateway uses: by default from the test's Orleans client (as a
/// gateway-only process does), or from inside a silo (as the co-hosted gateway does).
/// </summary>
public sealed class ClusterInvocations(ClusterFixture fixture, IServiceProvider? caller = null)
{
    private readonly FunctionInvoker _invoker = (caller ?? fixture.Client.ServiceProvider).GetRequiredService<FunctionInvoker>();

    public Task<InvocationResult> InvokeAsync(string function, object payload, string version = "$LATEST", bool tail = false) =>
        _invoker.InvokeAsync(function, version, Request(function, payload, tail));

    public IAsyncEnumerable<ResponseStreamPart> InvokeStreamingAsync(string function, object payload, CancellationToken cancellationToken = default) =>
        _invoker.InvokeStreamingAsync(function, "$LATEST", Request(function, payload, tail: false), cancellationToken);

    private static InvocationRequest Request(string function, object payload, bool tail) =>
        new()
        {
            RequestId = Guid.NewGuid().ToString(),
            Payload = JsonSerializer.SerializeToUtf8Bytes(payload),
            InvokedFunctionArn = $"arn:aws:lambda:us-east-1:000000000000:function:{function}",
            TraceId = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0",
            WantsLogTail = tail,
        };

    public static JsonElement Json(InvocationResult result) => JsonDocument.Parse(result.Payload).RootElement;

    public static string Tail(InvocationResult result) => Encoding.UTF8.GetString(Convert.FromBase64String(result.LogTail ?? ""));
}

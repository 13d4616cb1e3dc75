using System.Text.Json.Serialization;

namespace LambdaCluster.Grains.AsyncInvocation;

/// <summary>An accepted asynchronous invocation as it waits in its function's internal queue (the message body).</summary>
public sealed class AsyncEnvelope
{
    public required string RequestId { get; init; }
    /// <summary>The version the event was accepted for (an alias is resolved at acceptance, as Lambda does).</summary>
    public required string Version { get; init; }
    /// <summary>The qualifier the caller used (null, a version or an alias), which picks the event invoke config.</summary>
    public string? Qualifier { get; init; }
    public required string InvokedFunctionArn { get; init; }
    public required string Payload { get; init; }
    public required string TraceId { get; init; }
    public string? ClientContext { get; init; }
    /// <summary>Unix milliseconds when the event was accepted (its age counts from here).</summary>
    public required long AcceptedAt { get; init; }
    /// <summary>Invocations so far that ended in a function error.</summary>
    public int Attempts { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AsyncEnvelope))]
internal sealed partial class AsyncEnvelopeJsonContext : JsonSerializerContext;

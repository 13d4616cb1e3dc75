namespace LambdaCluster.Runtimes.Invocation;

/// <summary>
/// One piece of a streamed response on its way from an environment to the caller, in order: a head (the
/// stream's content type, once, before any bytes), chunks of bytes as the function wrote them, and last the
/// completion (how the invocation ended: error, log tail, executed version).
/// </summary>
[GenerateSerializer, Immutable, Alias("lambda.response-stream-part")]
public sealed record ResponseStreamPart
{
    [Id(0)] public string? ContentType { get; init; }
    [Id(1)] public byte[]? Chunk { get; init; }
    [Id(2)] public InvocationResult? Completion { get; init; }

    public static ResponseStreamPart Head(string contentType) => new() { ContentType = contentType };

    public static ResponseStreamPart Bytes(byte[] chunk) => new() { Chunk = chunk };

    public static ResponseStreamPart Completed(InvocationResult result) => new() { Completion = result };
}

using System.Buffers.Text;
using LambdaCluster.Runtimes.Invocation;

namespace LambdaCluster.Runtimes.Environments;

/// <summary>
/// A response the runtime is streaming (<c>Lambda-Runtime-Function-Response-Mode: streaming</c>): the Runtime API
/// writes each piece of the POST body here as it arrives, then completes it with the error trailers, if any. For a
/// streaming caller the bytes go straight on (a head with the content type first); for a buffered caller they
/// are collected up to Lambda's buffered limit, so a streaming function can still be invoked with Invoke.
/// </summary>
public sealed class StreamedResponse
{
    /// <summary>Lambda's limit for a streamed response (200 MB).</summary>
    public const long MaxStreamedBytes = 200L * 1024 * 1024;

    private readonly RuntimeApiSession _session;
    private readonly ActiveInvocation _invocation;
    private readonly string _contentType;
    private MemoryStream? _buffer;
    private bool _headSent;
    private long _length;

    internal StreamedResponse(RuntimeApiSession session, ActiveInvocation invocation, string contentType)
    {
        _session = session;
        _invocation = invocation;
        _contentType = contentType;
    }

    /// <summary>Cancelled when the invocation ended (timeout, crash, caller gone): stop reading the runtime's body.</summary>
    public CancellationToken Ended => _invocation.Ended;

    /// <summary>Bytes written so far.</summary>
    public long Length => _length;

    /// <summary>
    /// Passes on (or collects) one piece. False when the response went over its limit: the invocation has then
    /// ended with Function.ResponseSizeTooLarge and the rest of the body should be dropped.
    /// </summary>
    public async ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> bytes)
    {
        _length += bytes.Length;
        var limit = _invocation.Stream is null ? ExecutionEnvironment.MaxResponseBytes : MaxStreamedBytes;
        if (_length > limit)
        {
            _session.CompleteStreamed(_invocation, new RuntimeOutcome.ResponseTooLarge(_length, limit));
            return false;
        }

        if (_invocation.Stream is not { } stream)
        {
            (_buffer ??= new MemoryStream()).Write(bytes.Span);
            return true;
        }

        if (!_headSent)
        {
            _headSent = true;
            await stream.WriteAsync(ResponseStreamPart.Head(_contentType), Ended);
        }

        // The Runtime API reuses its read buffer: the chunk leaves as its own array.
        await stream.WriteAsync(ResponseStreamPart.Bytes(bytes.ToArray()), Ended);
        return true;
    }

    /// <summary>
    /// The body ended. With an error-type trailer the invocation failed mid-stream: the error body trailer is the
    /// base64 of the error document (the document is rebuilt from the type when it is missing or not base64).
    /// </summary>
    public async ValueTask<RuntimePostOutcome> CompleteAsync(string? errorType, string? errorBodyBase64)
    {
        if (!string.IsNullOrEmpty(errorType))
        {
            var body = DecodeErrorBody(errorBodyBase64) ?? ExecutionEnvironment.ErrorDocument(errorType, "");
            return _session.CompleteStreamed(_invocation, new RuntimeOutcome.FunctionError(errorType, body));
        }

        if (_invocation.Stream is { } stream && !_headSent)
        {
            // An empty stream still tells the caller its content type.
            _headSent = true;
            await stream.WriteAsync(ResponseStreamPart.Head(_contentType), Ended);
        }

        var collected = _buffer is null ? [] : _buffer.ToArray();
        return _session.CompleteStreamed(_invocation, new RuntimeOutcome.Response(collected, _contentType));
    }

    private static byte[]? DecodeErrorBody(string? base64)
    {
        if (string.IsNullOrEmpty(base64))
        {
            return null;
        }

        var bytes = new byte[Base64.GetMaxDecodedFromUtf8Length(base64.Length)];
        return Convert.TryFromBase64String(base64, bytes, out var written) ? bytes[..written] : null;
    }
}

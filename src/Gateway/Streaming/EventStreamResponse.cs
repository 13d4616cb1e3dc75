using System.Text.Json;
using LambdaCluster.Gateway.Invocation;
using LambdaCluster.Gateway.Lambda.Model;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Runtimes.Invocation;
using Microsoft.AspNetCore.Http;

namespace LambdaCluster.Gateway.Streaming;

/// <summary>
/// InvokeWithResponseStream's framing: a 200 head with <c>X-Amz-Executed-Version</c> and the stream's content type,
/// each chunk a <c>PayloadChunk</c> event, and <c>InvokeComplete</c> last (ErrorCode, ErrorDetails, LogResult).
/// See https://docs.aws.amazon.com/lambda/latest/api/API_InvokeWithResponseStream.html.
/// </summary>
public sealed class EventStreamResponse(HttpContext http, string version) : IResponseStreamFormat
{
    private readonly HttpResponse _response = http.Response;

    public async Task StartAsync(string contentType)
    {
        Head(contentType);
        await _response.StartAsync(http.RequestAborted);
    }

    public async Task WriteChunkAsync(byte[] chunk)
    {
        await _response.Body.WriteAsync(EventStreamMessage.Event("PayloadChunk", "application/octet-stream", chunk), http.RequestAborted);
        await _response.Body.FlushAsync(http.RequestAborted);
    }

    public async Task CompleteAsync(InvocationResult result)
    {
        if (!_response.HasStarted)
        {
            Head("application/json");
        }

        string? code = null, details = null;
        if (result.FunctionError is not null)
        {
            (code, details) = ErrorOf(result.Payload);
        }

        await WriteCompleteAsync(new InvokeCompleteEventDto { ErrorCode = code, ErrorDetails = details, LogResult = result.LogTail });
    }

    public Task FailAsync(LambdaServiceException error) =>
        WriteCompleteAsync(new InvokeCompleteEventDto { ErrorCode = error.ErrorType.ToString(), ErrorDetails = error.Message });

    private void Head(string contentType)
    {
        _response.StatusCode = StatusCodes.Status200OK;
        _response.Headers["X-Amz-Executed-Version"] = version;
        _response.ContentType = contentType;
    }

    private async Task WriteCompleteAsync(InvokeCompleteEventDto complete) =>
        await _response.Body.WriteAsync(EventStreamMessage.Event("InvokeComplete", "application/json", JsonSerializer.SerializeToUtf8Bytes(complete, LambdaJsonContext.Default.InvokeCompleteEventDto)));

    /// <summary>The function error's errorType and errorMessage (Unhandled and the raw payload when it is not Lambda's error shape).</summary>
    private static (string Code, string Details) ErrorOf(byte[] document)
    {
        try
        {
            using var json = JsonDocument.Parse(document);
            var root = json.RootElement;
            var type = root.TryGetProperty("errorType", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var message = root.TryGetProperty("errorMessage", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            return (type ?? "Unhandled", message ?? System.Text.Encoding.UTF8.GetString(document));
        }
        catch (JsonException)
        {
            return ("Unhandled", System.Text.Encoding.UTF8.GetString(document));
        }
    }
}

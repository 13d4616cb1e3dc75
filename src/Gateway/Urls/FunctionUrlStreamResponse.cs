using System.Globalization;
using System.Text.Json;
using LambdaCluster.Runtimes.Invocation;
using Microsoft.AspNetCore.Http;
using LambdaCluster.Gateway.Invocation;
using LambdaCluster.Grains.Errors;

namespace LambdaCluster.Gateway.Urls;

/// <summary>
/// A RESPONSE_STREAM URL's answer, written as the function streams it. A stream of content type
/// <c>application/vnd.awslambda.http-integration-response</c> opens with a JSON prelude (statusCode, headers, cookies)
/// ended by 8 NUL bytes, which becomes the HTTP head; any other stream is a 200 body of its own content type.
/// </summary>
public sealed class FunctionUrlStreamResponse(HttpContext http, Action<HttpResponse> beforeHead) : IResponseStreamFormat
{
    public const string HttpIntegrationContentType = "application/vnd.awslambda.http-integration-response";

    /// <summary>A prelude longer than this without its delimiter is not one.</summary>
    private const int MaxPreludeBytes = 64 * 1024;

    private const int DelimiterLength = 8;

    private readonly HttpResponse _response = http.Response;
    private MemoryStream? _prelude;
    private int _nulRun;

    /// <summary>The head: a prelude stream waits for its prelude; any other is a 200 of its own content type.</summary>
    public async Task StartAsync(string contentType)
    {
        if (contentType == HttpIntegrationContentType)
        {
            _prelude = new MemoryStream();
        }
        else
        {
            await StartAsync(StatusCodes.Status200OK, contentType, headers: null, cookies: null);
        }
    }

    /// <summary>The head is sent: the client learns of the failure from a cut connection, not a whole-looking response.</summary>
    public Task FailAsync(LambdaServiceException error)
    {
        http.Abort();
        return Task.CompletedTask;
    }

    /// <summary>Bytes of the prelude until its delimiter (then the head goes out), else body bytes, flushed at once.</summary>
    public async Task WriteChunkAsync(byte[] chunk)
    {
        var body = chunk.AsMemory();
        if (_prelude is not null && !_response.HasStarted)
        {
            var end = DelimiterEnd(body.Span);
            if (end < 0)
            {
                _prelude.Write(body.Span);
                if (_prelude.Length > MaxPreludeBytes)
                {
                    throw new InvalidDataException("The function's response prelude has no end.");
                }

                return;
            }

            _prelude.Write(body.Span[..end]);
            await StartFromPreludeAsync(_prelude.ToArray());
            body = body[end..];
        }

        if (body.Length > 0)
        {
            await _response.Body.WriteAsync(body, http.RequestAborted);
            await _response.Body.FlushAsync(http.RequestAborted);
        }
    }

    /// <summary>A function error before anything was sent is a 502; after, the connection is cut.</summary>
    public async Task CompleteAsync(InvocationResult result)
    {
        if (result.FunctionError is not null)
        {
            if (_response.HasStarted)
            {
                http.Abort();
                return;
            }

            await InvocationResponseWriter.WriteAsync(_response, StatusCodes.Status502BadGateway, "text/plain", "Internal Server Error"u8.ToArray());
            return;
        }

        if (!_response.HasStarted)
        {
            // A prelude stream that never wrote a byte, or a prelude without its body.
            if (_prelude is { Length: > 0 } prelude)
            {
                await StartFromPreludeAsync(TrimDelimiter(prelude.ToArray()));
            }
            else
            {
                await StartAsync(StatusCodes.Status200OK, _prelude is null ? "application/octet-stream" : "application/json", null, null);
            }
        }
    }

    /// <summary>Where the body starts in this chunk (just past the 8th NUL in a row), or -1; a run may span chunks.</summary>
    private int DelimiterEnd(ReadOnlySpan<byte> chunk)
    {
        for (var i = 0; i < chunk.Length; i++)
        {
            _nulRun = chunk[i] == 0 ? _nulRun + 1 : 0;
            if (_nulRun == DelimiterLength)
            {
                return i + 1;
            }
        }

        return -1;
    }

    private static byte[] TrimDelimiter(byte[] prelude)
    {
        var end = prelude.Length;
        while (end > 0 && prelude[end - 1] == 0)
        {
            end--;
        }

        return prelude[..end];
    }

    private async Task StartFromPreludeAsync(byte[] preludeWithDelimiter)
    {
        using var json = JsonDocument.Parse(TrimDelimiter(preludeWithDelimiter));
        var root = json.RootElement;
        var status = StatusCodes.Status200OK;
        if (root.TryGetProperty("statusCode", out var code))
        {
            status = code.ValueKind == JsonValueKind.Number ? code.GetInt32()
                : int.TryParse(code.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 500;
        }

        var headers = root.TryGetProperty("headers", out var h) && h.ValueKind == JsonValueKind.Object
            ? h.EnumerateObject().Select(p => (p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText())).ToList()
            : null;
        var cookies = root.TryGetProperty("cookies", out var c) && c.ValueKind == JsonValueKind.Array
            ? c.EnumerateArray().Select(v => v.GetString()).ToArray()
            : null;
        await StartAsync(status, null, headers, cookies);
    }

    private async Task StartAsync(int status, string? contentType, List<(string Name, string Value)>? headers, string?[]? cookies)
    {
        _response.StatusCode = status;
        foreach (var (name, value) in headers ?? [])
        {
            _response.Headers[name] = value;
        }

        if (cookies is not null)
        {
            _response.Headers.SetCookie = cookies;
        }

        if (contentType is not null || !_response.Headers.ContainsKey("Content-Type"))
        {
            _response.ContentType = contentType ?? "application/octet-stream";
        }

        beforeHead(_response);
        await _response.StartAsync(http.RequestAborted);
    }
}

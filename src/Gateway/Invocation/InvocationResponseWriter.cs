using LambdaCluster.Grains.Errors;
using LambdaCluster.Runtimes.Invocation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace LambdaCluster.Gateway.Invocation;

/// <summary>
/// The one writer of invocation responses for Invoke, InvokeWithResponseStream and function URLs: a buffered body
/// goes out in one write with its Content-Length (no copy); a streamed one part by part, each flushed as the function
/// writes it, in the front door's <see cref="IResponseStreamFormat"/>.
/// </summary>
public static class InvocationResponseWriter
{
    /// <summary>A whole body with its status and content type (headers set before stay).</summary>
    public static async Task WriteAsync(HttpResponse response, int status, string contentType, ReadOnlyMemory<byte> body)
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body);
    }

    /// <summary>
    /// Streams the parts through <paramref name="format"/>. Flow: response buffering off → content type, chunks,
    /// completion, in order → a platform failure after the head goes to <see cref="IResponseStreamFormat.FailAsync"/>
    /// (before it, the exception is the caller's, for an error response) → the caller hanging up ends quietly: leaving
    /// the enumeration abandoned the invocation and stopped the function.
    /// </summary>
    public static async Task StreamAsync(HttpContext http, IAsyncEnumerable<ResponseStreamPart> parts, IResponseStreamFormat format)
    {
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        try
        {
            await foreach (var part in parts)
            {
                if (part.ContentType is { } contentType)
                {
                    await format.StartAsync(contentType);
                }
                else if (part.Chunk is { } chunk)
                {
                    await format.WriteChunkAsync(chunk);
                }
                else if (part.Completion is { } result)
                {
                    await format.CompleteAsync(result);
                }
            }
        }
        catch (LambdaServiceException e) when (http.Response.HasStarted)
        {
            await format.FailAsync(e);
        }
        catch (Exception e) when (http.RequestAborted.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            // The caller hung up.
        }
    }
}

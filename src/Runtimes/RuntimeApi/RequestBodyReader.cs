using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace LambdaCluster.Runtimes.RuntimeApi;

/// <summary>
/// Reads a request body up to a limit into an array of exactly its size: a body with a Content-Length is read straight
/// into its array (no staging buffer, no copy), a chunked one through a pooled buffer; a hostile one never costs more
/// than the limit plus one pooled buffer. The array becomes the payload as it is (the event an environment hands to its
/// runtime, or the response a caller gets), so it is not pooled itself.
/// </summary>
public static class RequestBodyReader
{
    private const int ChunkBytes = 16 * 1024;

    /// <summary>The body (<see cref="Bytes"/> holds exactly <see cref="Length"/> bytes), or how long it was when over the limit.</summary>
    public readonly record struct Body(byte[] Bytes, long Length, bool TooLarge);

    public static async Task<Body> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } declared)
        {
            if (declared > limit)
            {
                await DiscardAsync(request.Body, cancellationToken);
                return new Body([], declared, true);
            }

            return await ReadDeclaredAsync(request.Body, (int)declared, cancellationToken);
        }

        return await ReadChunkedAsync(request.Body, limit, cancellationToken);
    }

    private static async Task<Body> ReadDeclaredAsync(Stream body, int length, CancellationToken cancellationToken)
    {
        if (length == 0)
        {
            return new Body([], 0, false);
        }

        var bytes = GC.AllocateUninitializedArray<byte>(length);
        var filled = 0;
        int read;
        while (filled < length && (read = await body.ReadAsync(bytes.AsMemory(filled), cancellationToken)) > 0)
        {
            filled += read;
        }

        // A body shorter than it declared ends the read early (the server fails the request); never hand out the unfilled tail.
        return filled == length ? new Body(bytes, length, false) : new Body(bytes[..filled], filled, false);
    }

    private static async Task<Body> ReadChunkedAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        var buffer = new ArrayBufferWriter<byte>(ChunkBytes);
        try
        {
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                total += read;
                if (total > limit)
                {
                    return new Body([], total + await DiscardAsync(body, cancellationToken), true);
                }

                buffer.Write(chunk.AsSpan(0, read));
            }

            return new Body(buffer.WrittenSpan.ToArray(), total, false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static async Task<long> DiscardAsync(Stream body, CancellationToken cancellationToken)
    {
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                total += read;
            }

            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}

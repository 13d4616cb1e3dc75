using Microsoft.AspNetCore.Http;

namespace LambdaCluster.Runtimes.RuntimeApi;

/// <summary>Reads a request body up to a limit, without buffering more than limit + 1 bytes of a hostile one.</summary>
public static class RequestBodyReader
{
    public readonly record struct Body(byte[] Bytes, long Length, bool TooLarge);

    public static async Task<Body> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } declared && declared > limit)
        {
            await DiscardAsync(request.Body, cancellationToken);
            return new Body([], declared, true);
        }

        var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 4096);
        var chunk = new byte[81920];
        long total = 0;
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            total += read;
            if (total > limit)
            {
                total += await DiscardAsync(request.Body, cancellationToken);
                return new Body([], total, true);
            }

            buffer.Write(chunk, 0, read);
        }

        return new Body(buffer.Length == buffer.Capacity ? buffer.GetBuffer() : buffer.ToArray(), total, false);
    }

    private static async Task<long> DiscardAsync(Stream body, CancellationToken cancellationToken)
    {
        var chunk = new byte[81920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            total += read;
        }

        return total;
    }
}

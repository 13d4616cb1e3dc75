using System.Runtime.CompilerServices;
using System.Threading.Channels;
using LambdaCluster.Runtimes.Invocation;

namespace LambdaCluster.Grains.Invocation;

/// <summary>
/// Turns an invocation that writes its streamed response into a channel into the parts a caller pulls: a head (the
/// content type), the chunks as the function writes them, and last the completion. The channel is small and bounded, so
/// a slow reader slows the function's writes instead of piling chunks up here; a runtime that answered with a buffered
/// <c>/response</c> becomes one chunk. The caller leaving early (or cancelling) abandons the invocation, which stops it.
/// </summary>
public static class StreamingInvocation
{
    public static async IAsyncEnumerable<ResponseStreamPart> RunAsync(
        Func<ChannelWriter<ResponseStreamPart>, CancellationToken, Task<InvocationResult>> invoke,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var parts = Channel.CreateBounded<ResponseStreamPart>(new BoundedChannelOptions(8) { SingleReader = true, SingleWriter = false });
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = PumpAsync(invoke, parts.Writer, abandon.Token);
        try
        {
            await foreach (var part in parts.Reader.ReadAllAsync(CancellationToken.None))
            {
                yield return part;
            }
        }
        finally
        {
            if (!run.IsCompleted)
            {
                await abandon.CancelAsync();
            }

            await run;
        }
    }

    private static async Task PumpAsync(Func<ChannelWriter<ResponseStreamPart>, CancellationToken, Task<InvocationResult>> invoke, ChannelWriter<ResponseStreamPart> parts, CancellationToken abandoned)
    {
        try
        {
            var result = await invoke(parts, abandoned);
            if (!result.Streamed && result.Outcome == InvocationOutcome.Response)
            {
                // The runtime answered with a buffered /response: the whole answer is the one chunk.
                await parts.WriteAsync(ResponseStreamPart.Head(result.ContentType), abandoned);
                await parts.WriteAsync(ResponseStreamPart.Bytes(result.Payload), abandoned);
            }

            await parts.WriteAsync(ResponseStreamPart.Completed(result), abandoned);
            parts.TryComplete();
        }
        catch (Exception e)
        {
            parts.TryComplete(e);
        }
    }
}

using System.Text;
using System.Threading.Channels;
using LambdaCluster.Runtimes.Invocation;

namespace LambdaCluster.Runtimes.Environments;

/// <summary>
/// The invocation an environment is handling: its request, where a streaming caller reads, how it ended (the first
/// ending wins), and, only when the caller asked for it, its log lines for the tail.
/// </summary>
internal sealed class ActiveInvocation(InvocationRequest request, ChannelWriter<ResponseStreamPart>? stream)
{
    /// <summary>Lambda returns the last 4 KB of an invocation's log.</summary>
    public const int TailBytes = 4096;

    // Continuations run on the thread that ends the invocation (the runtime's /response request, a timer, the exit
    // watcher): the invocation finishes and its caller's answer goes out right there, without a hop through the thread
    // pool, which was a large part of a warm invocation's cost. Endings are always set outside the session's lock.
    private readonly TaskCompletionSource<RuntimeOutcome> _outcome = new();
    private readonly StringBuilder? _tail = request.WantsLogTail ? new StringBuilder() : null;
    private CancellationTokenSource? _ended;

    public InvocationRequest Request { get; } = request;

    public string RequestId => Request.RequestId;

    /// <summary>When the function's timeout passes, in epoch milliseconds (<c>Lambda-Runtime-Deadline-Ms</c>); set when the event is queued.</summary>
    public long DeadlineMs { get; set; }

    /// <summary>Completes with how the invocation ended, from the runtime (response, error) or the platform (exit, timeout, caller gone).</summary>
    public Task<RuntimeOutcome> Outcome => _outcome.Task;

    /// <summary>Where a streaming caller reads the response as it is produced; null for a buffered caller.</summary>
    public ChannelWriter<ResponseStreamPart>? Stream { get; } = stream;

    /// <summary>True once the runtime began streaming its response.</summary>
    public bool Streamed { get; set; }

    /// <summary>Cancelled when the invocation ends however it ends, so a response still streaming in stops. Made on first use.</summary>
    public CancellationToken Ended
    {
        get
        {
            if (_ended is null)
            {
                var made = new CancellationTokenSource();
                if (Interlocked.CompareExchange(ref _ended, made, null) is not null)
                {
                    made.Dispose();
                }
                else if (_outcome.Task.IsCompleted)
                {
                    made.Cancel();
                }
            }

            return _ended.Token;
        }
    }

    /// <summary>Sets how the invocation ended unless it already ended; stops anything still streaming in.</summary>
    public bool End(RuntimeOutcome outcome)
    {
        if (!_outcome.TrySetResult(outcome))
        {
            return false;
        }

        // Off the caller's thread: cancelling runs the callbacks of a read or write still waiting on the token.
        if (Volatile.Read(ref _ended) is { } ended)
        {
            _ = ended.CancelAsync();
        }

        return true;
    }

    /// <summary>Adds a line to the tail, when the caller asked for one (otherwise nothing is kept).</summary>
    public void AppendToTail(string line)
    {
        if (_tail is null)
        {
            return;
        }

        lock (_tail)
        {
            _tail.Append(line).Append('\n');
        }
    }

    /// <summary>The base64 of the last 4 KB of the invocation's log lines, or null when the caller did not ask for it.</summary>
    public string? TailBase64()
    {
        if (_tail is null)
        {
            return null;
        }

        string text;
        lock (_tail)
        {
            text = _tail.ToString();
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        var start = Math.Max(0, bytes.Length - TailBytes);
        return Convert.ToBase64String(bytes, start, bytes.Length - start);
    }
}

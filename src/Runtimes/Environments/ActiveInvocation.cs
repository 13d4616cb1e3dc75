using System.Text;
using System.Threading.Channels;
using LambdaCluster.Runtimes.Invocation;

namespace LambdaCluster.Runtimes.Environments;

/// <summary>The invocation an environment is handling: its request, how it ended, and its log lines for the tail.</summary>
internal sealed class ActiveInvocation(InvocationRequest request, ChannelWriter<ResponseStreamPart>? stream)
{
    /// <summary>Lambda returns the last 4 KB of an invocation's log.</summary>
    public const int TailBytes = 4096;

    private readonly StringBuilder _log = new();

    public InvocationRequest Request { get; } = request;

    public TaskCompletionSource<RuntimeOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True once the event was handed to the runtime (so a response for its id is expected).</summary>
    public bool Delivered { get; set; }

    /// <summary>Where a streaming caller reads the response as it is produced; null for a buffered caller.</summary>
    public ChannelWriter<ResponseStreamPart>? Stream { get; } = stream;

    /// <summary>True while the runtime is streaming its response (a second response or an error for the id is refused).</summary>
    public bool Responding { get; set; }

    /// <summary>Cancelled when the invocation ends however it ends, so a response still streaming in stops.</summary>
    public CancellationTokenSource Ended { get; } = new();

    /// <summary>Sets how the invocation ended (the first outcome wins) and stops anything still streaming.</summary>
    public bool End(RuntimeOutcome outcome)
    {
        if (!Outcome.TrySetResult(outcome))
        {
            return false;
        }

        // Callers hold the environment's lock: the callbacks (an aborted read, a cancelled write) run off it.
        _ = Ended.CancelAsync();
        return true;
    }

    public void AppendLogLine(string line) => _log.Append(line).Append('\n');

    public string TailBase64()
    {
        var bytes = Encoding.UTF8.GetBytes(_log.ToString());
        var start = Math.Max(0, bytes.Length - TailBytes);
        return Convert.ToBase64String(bytes, start, bytes.Length - start);
    }
}

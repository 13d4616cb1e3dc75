using System.Text;
using LambdaCluster.Runtimes.Invocation;

namespace LambdaCluster.Runtimes.Environments;

/// <summary>The invocation an environment is handling: its request, how it ended, and its log lines for the tail.</summary>
internal sealed class ActiveInvocation(InvocationRequest request)
{
    /// <summary>Lambda returns the last 4 KB of an invocation's log.</summary>
    public const int TailBytes = 4096;

    private readonly StringBuilder _log = new();

    public InvocationRequest Request { get; } = request;

    public TaskCompletionSource<RuntimeOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True once the event was handed to the runtime (so a response for its id is expected).</summary>
    public bool Delivered { get; set; }

    public void AppendLogLine(string line) => _log.Append(line).Append('\n');

    public string TailBase64()
    {
        var bytes = Encoding.UTF8.GetBytes(_log.ToString());
        var start = Math.Max(0, bytes.Length - TailBytes);
        return Convert.ToBase64String(bytes, start, bytes.Length - start);
    }
}

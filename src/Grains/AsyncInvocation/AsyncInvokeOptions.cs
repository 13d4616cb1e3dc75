namespace LambdaCluster.Grains.AsyncInvocation;

/// <summary>Asynchronous invocation (<c>AsyncInvoke</c> section).</summary>
public sealed class AsyncInvokeOptions
{
    public const string Section = "AsyncInvoke";

    /// <summary>Lambda's waits before the first and the second retry after a function error: about 1 and 2 minutes.</summary>
    public static readonly TimeSpan[] LambdaRetryDelays = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2)];

    /// <summary>
    /// Waits before the first and the second retry after a function error; unset, Lambda's. (Null rather than a
    /// default array: configuration binding appends to an array it finds.)
    /// </summary>
    public TimeSpan[]? RetryDelays { get; set; }

    public TimeSpan[] EffectiveRetryDelays => RetryDelays is { Length: > 0 } delays ? delays : LambdaRetryDelays;

    /// <summary>Invocations a function's dispatcher runs at once.</summary>
    public int Workers { get; set; } = 8;
}

namespace LambdaCluster.LoadTest.KeepWarm;

/// <summary>A synthetic trace for <c>lambda-load keepwarm-replay</c>: one function's calls, as offsets from its start.</summary>
internal sealed record ReplayTrace(string Name, IReadOnlyList<TimeSpan> Calls)
{
    /// <summary>A call every <paramref name="period"/> from 0 up to and including <paramref name="length"/>.</summary>
    public static ReplayTrace Periodic(string name, TimeSpan period, TimeSpan length) =>
        new(name, [.. Enumerable.Range(0, (int)(length / period) + 1).Select(i => period * i)]);
}

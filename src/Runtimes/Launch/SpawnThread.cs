using System.Collections.Concurrent;
using System.Diagnostics;

namespace LambdaCluster.Runtimes.Launch;

/// <summary>
/// Starts environments' processes from one thread that lives as long as the node. Linux delivers a child's parent-death
/// signal (bubblewrap's <c>--die-with-parent</c>, PR_SET_PDEATHSIG) when the thread that forked it exits, not the process,
/// and .NET forks on the calling thread: started from a thread-pool thread, which retires after a while idle, a warm
/// environment would be killed at random.
/// </summary>
internal static class SpawnThread
{
    private static readonly BlockingCollection<(Func<Process> Start, TaskCompletionSource<Process> Started)> Pending = StartThread();

    /// <summary>Runs <paramref name="start"/> on the spawning thread and returns its process; rethrows what it throws.</summary>
    public static Process Start(Func<Process> start)
    {
        var started = new TaskCompletionSource<Process>();
        Pending.Add((start, started));
        return started.Task.GetAwaiter().GetResult();
    }

    private static BlockingCollection<(Func<Process>, TaskCompletionSource<Process>)> StartThread()
    {
        var pending = new BlockingCollection<(Func<Process>, TaskCompletionSource<Process>)>();
        new Thread(() =>
        {
            foreach (var (start, started) in pending.GetConsumingEnumerable())
            {
                try
                {
                    started.SetResult(start());
                }
                catch (Exception e)
                {
                    started.SetException(e);
                }
            }
        })
        { IsBackground = true, Name = "environment spawner" }.Start();
        return pending;
    }
}

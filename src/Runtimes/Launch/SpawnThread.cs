using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LambdaCluster.Runtimes.Launch;

/// <summary>
/// Starts environments' processes from one thread that lives as long as the node. Linux delivers a child's parent-death
/// signal (bubblewrap's <c>--die-with-parent</c>, PR_SET_PDEATHSIG) when the thread that forked it exits, not the process,
/// and .NET forks on the calling thread: started from a thread-pool thread, which retires after a while idle, a warm
/// environment would be killed at random. A child also inherits the forking thread's scheduling policy, which is how
/// environments are started under SCHED_BATCH (<see cref="Hosting.EnvironmentOptions.BatchScheduling"/>).
/// </summary>
internal static class SpawnThread
{
    private static readonly BlockingCollection<(Func<Process> Start, int Policy, TaskCompletionSource<Process> Started)> Pending = StartThread();

    /// <summary>
    /// Runs <paramref name="start"/> on the spawning thread, under SCHED_BATCH when <paramref name="batchScheduling"/> (else
    /// SCHED_OTHER), and returns its process; rethrows what it throws. A kernel that refuses the policy leaves the default.
    /// </summary>
    public static Process Start(Func<Process> start, bool batchScheduling = false)
    {
        var started = new TaskCompletionSource<Process>();
        Pending.Add((start, batchScheduling ? LibC.SchedBatch : LibC.SchedOther, started));
        return started.Task.GetAwaiter().GetResult();
    }

    /// <summary>
    /// Whether this process may run a thread under SCHED_BATCH: tried on a thread of its own, which then ends. Null when
    /// it may, else the errno of the refusal (a seccomp filter, say), after which environments start under SCHED_OTHER;
    /// -1 when the call itself could not be made.
    /// </summary>
    public static int? BatchSchedulingRefusal()
    {
        int? refusal = null;
        var probe = new Thread(() =>
        {
            try
            {
                refusal = LibC.SetSchedulingPolicy(LibC.SchedBatch) == 0 ? null : Marshal.GetLastPInvokeError();
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                refusal = -1;
            }
        })
        { IsBackground = true };
        probe.Start();
        probe.Join();
        return refusal;
    }

    private static BlockingCollection<(Func<Process> Start, int Policy, TaskCompletionSource<Process> Started)> StartThread()
    {
        var pending = new BlockingCollection<(Func<Process> Start, int Policy, TaskCompletionSource<Process> Started)>();
        new Thread(() =>
        {
            var policy = LibC.SchedOther;
            foreach (var spawn in pending.GetConsumingEnumerable())
            {
                try
                {
                    if (spawn.Policy != policy && LibC.SetSchedulingPolicy(spawn.Policy) == 0)
                    {
                        policy = spawn.Policy;
                    }

                    spawn.Started.SetResult(spawn.Start());
                }
                catch (Exception e)
                {
                    spawn.Started.SetException(e);
                }
            }
        })
        { IsBackground = true, Name = "environment spawner" }.Start();
        return pending;
    }
}

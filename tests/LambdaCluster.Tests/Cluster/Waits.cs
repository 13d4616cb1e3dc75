using System.Diagnostics;

namespace LambdaCluster.Tests.Cluster;

/// <summary>Waits for a condition with a deadline; a failed wait says what it waited for and what it last saw.</summary>
public static class Waits
{
    public static async Task<T> UntilAsync<T>(string what, Func<Task<T>> observe, Func<T, bool> done, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        T last;
        do
        {
            last = await observe();
            if (done(last))
            {
                return last;
            }

            await Task.Delay(100);
        }
        while (clock.Elapsed < deadline);

        throw new TimeoutException($"Waited {deadline.TotalSeconds:0} s for {what}; last saw: {last}");
    }
}

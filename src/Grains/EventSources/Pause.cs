namespace LambdaCluster.Grains.EventSources;

/// <summary>A poller's wait: ends early, without an exception, when the poller stops.</summary>
internal static class Pause
{
    public static async Task ForAsync(TimeSpan delay, TimeProvider time, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(delay, time, stopping);
        }
        catch (OperationCanceledException)
        {
        }
    }
}

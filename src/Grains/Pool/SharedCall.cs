namespace LambdaCluster.Grains.Pool;

/// <summary>
/// One call at a time, shared by everyone who asks while it runs; the first ask after it ended starts a new one. For
/// a single-threaded grain (not thread-safe), so that a burst of acquires sends one request, not one each.
/// </summary>
internal sealed class SharedCall<T>
{
    private Task<T>? _running;

    public async Task<T> RunAsync(Func<Task<T>> start)
    {
        var task = _running ??= start();
        try
        {
            return await task;
        }
        finally
        {
            if (ReferenceEquals(_running, task))
            {
                _running = null;
            }
        }
    }
}

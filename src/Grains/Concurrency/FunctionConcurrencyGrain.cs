using LambdaCluster.Grains.Pool;

namespace LambdaCluster.Grains.Concurrency;

/// <inheritdoc cref="IFunctionConcurrencyGrain"/>
/// <remarks>In memory and single-threaded, hence exact; a reactivation (its silo died) starts from zero while pools
/// may still hold blocks, so for a moment the function can exceed its reservation.</remarks>
[GrainType("function-concurrency")]
public sealed class FunctionConcurrencyGrain : Grain, IFunctionConcurrencyGrain
{
    private readonly Dictionary<string, int> _blocks = new(StringComparer.Ordinal);

    private int Allocated => _blocks.Values.Sum();

    public async Task<int> AllocateAsync(string poolKey, int count, int reserved)
    {
        if (reserved - Allocated <= 0)
        {
            // Other versions may hold slots they do not use right now (between bursts, or held idle by a dispatcher).
            foreach (var other in _blocks.Where(b => b.Key != poolKey && b.Value > 0).Select(b => b.Key).ToList())
            {
                try
                {
                    Take(other, await GrainFactory.GetGrain<IFunctionVersionGrain>(other).TrimAsync());
                }
                catch (Exception e) when (e is SiloUnavailableException or OrleansException or TimeoutException)
                {
                    // That pool cannot answer now; its block stays counted until it gives it back.
                }
            }
        }

        var granted = Math.Clamp(reserved - Allocated, 0, count);
        _blocks[poolKey] = _blocks.GetValueOrDefault(poolKey) + granted;
        return granted;
    }

    public Task ReturnAsync(string poolKey, int count)
    {
        Take(poolKey, count);
        return Task.CompletedTask;
    }

    private void Take(string poolKey, int count)
    {
        var left = _blocks.GetValueOrDefault(poolKey) - count;
        if (left > 0)
        {
            _blocks[poolKey] = left;
        }
        else
        {
            _blocks.Remove(poolKey);
        }
    }
}

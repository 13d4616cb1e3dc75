namespace LambdaCluster.Grains.Concurrency;

/// <inheritdoc cref="IFunctionConcurrencyGrain"/>
/// <remarks>In memory and single-threaded, hence exact; a reactivation (its silo died) starts from zero while
/// invocations may still run, so for a moment the function can exceed its reservation.</remarks>
[GrainType("function-concurrency")]
public sealed class FunctionConcurrencyGrain : Grain, IFunctionConcurrencyGrain
{
    private int _inUse;

    public Task<bool> TryEnterAsync(int reserved)
    {
        if (_inUse >= reserved)
        {
            return Task.FromResult(false);
        }

        _inUse++;
        return Task.FromResult(true);
    }

    public Task ExitAsync()
    {
        _inUse = Math.Max(0, _inUse - 1);
        return Task.CompletedTask;
    }
}

using Orleans.Concurrency;

namespace LambdaCluster.Grains.Concurrency;

/// <summary>
/// A function's reserved concurrency across all its versions (key: function name). Every version pool of a
/// function with a reservation enters here before an invocation runs and leaves when it ends, so two versions
/// behind a weighted alias share one cap. Functions without a reservation never call it.
/// </summary>
[Alias("lambda.IFunctionConcurrencyGrain")]
public interface IFunctionConcurrencyGrain : IGrainWithStringKey
{
    /// <summary>Takes one of the function's <paramref name="reserved"/> slots; false when all are taken.</summary>
    [Alias("TryEnter")] Task<bool> TryEnterAsync(int reserved);

    [Alias("Exit"), OneWay] Task ExitAsync();
}

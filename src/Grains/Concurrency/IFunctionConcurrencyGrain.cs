using Orleans.Concurrency;

namespace LambdaCluster.Grains.Concurrency;

/// <summary>
/// A function's reserved concurrency across all its versions (key: function name). Version pools of a function with
/// a reservation hold blocks of it, as pools of other functions hold blocks of the account's unreserved concurrency,
/// and come here only when their block is used up or too large; two versions behind a weighted alias share one cap.
/// Functions without a reservation never call it.
/// </summary>
[Alias("lambda.IFunctionConcurrencyGrain")]
public interface IFunctionConcurrencyGrain : IGrainWithStringKey
{
    /// <summary>
    /// Grants a pool up to <paramref name="count"/> more of the function's <paramref name="reserved"/> slots; when none
    /// are free, first asks the other pools holding some to give back what they do not use. 0 when all are in use.
    /// </summary>
    [Alias("Allocate")] Task<int> AllocateAsync(string poolKey, int count, int reserved);

    /// <summary>A pool gives back slots it no longer needs.</summary>
    [Alias("Return"), OneWay] Task ReturnAsync(string poolKey, int count);
}

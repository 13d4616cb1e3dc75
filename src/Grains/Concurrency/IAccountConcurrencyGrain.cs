using Orleans.Concurrency;

namespace LambdaCluster.Grains.Concurrency;

/// <summary>
/// The account's concurrency (key: account id). Pools of functions without a reservation hold blocks of
/// the unreserved concurrency and come here only when their block is used up or too large, so this grain
/// sees scale-out and scale-in, not every invocation. Reservations are persisted here as well as on the function.
/// </summary>
[Alias("lambda.IAccountConcurrencyGrain")]
public interface IAccountConcurrencyGrain : IGrainWithStringKey
{
    /// <summary>Grants up to <paramref name="count"/> more unreserved concurrency to a pool; 0 when none is left.</summary>
    [Alias("Allocate")] Task<int> AllocateAsync(string poolKey, int count);

    /// <summary>A pool gives back concurrency it no longer needs.</summary>
    [Alias("Return"), OneWay] Task ReturnAsync(string poolKey, int count);

    /// <summary>Sets (or with null removes) a function's reservation; InvalidParameterValue when it would leave too little unreserved.</summary>
    [Alias("SetReserved")] Task SetReservedAsync(string functionName, int? reserved);

    [Alias("Get")] Task<AccountConcurrency> GetAsync();
}

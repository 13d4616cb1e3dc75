using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Functions;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Grains.Concurrency;

/// <inheritdoc cref="IAccountConcurrencyGrain"/>
/// <remarks>
/// Allocations live in memory: if this grain's silo dies, its next activation starts from zero while pools
/// still hold blocks, so for a moment the account can run above its limit until those blocks come back.
/// </remarks>
[GrainType("account-concurrency")]
public sealed class AccountConcurrencyGrain(
    [PersistentState("concurrency", GrainStorageNames.Functions)] IPersistentState<AccountConcurrencyState> state,
    IOptions<ConcurrencyOptions> options) : Grain, IAccountConcurrencyGrain
{
    private readonly Dictionary<string, int> _allocations = new(StringComparer.Ordinal);
    private int _allocated;

    private int Unreserved => options.Value.AccountLimit - state.State.Reserved.Values.Sum();

    public Task<int> AllocateAsync(string poolKey, int count)
    {
        var granted = Math.Clamp(Unreserved - _allocated, 0, count);
        if (granted > 0)
        {
            _allocations[poolKey] = _allocations.GetValueOrDefault(poolKey) + granted;
            _allocated += granted;
        }

        return Task.FromResult(granted);
    }

    public Task ReturnAsync(string poolKey, int count)
    {
        var held = _allocations.GetValueOrDefault(poolKey);
        var returned = Math.Min(held, count);
        _allocated -= returned;
        if (held - returned <= 0)
        {
            _allocations.Remove(poolKey);
        }
        else
        {
            _allocations[poolKey] = held - returned;
        }

        return Task.CompletedTask;
    }

    public async Task SetReservedAsync(string functionName, int? reserved)
    {
        var current = state.State.Reserved.GetValueOrDefault(functionName);
        if (reserved is { } wanted)
        {
            var otherReserved = state.State.Reserved.Where(r => r.Key != functionName).Sum(r => r.Value);
            var unreservedWithout = options.Value.AccountLimit - otherReserved;
            if (wanted > unreservedWithout)
            {
                throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException,
                    $"Specified ConcurrentExecutions for function is greater than account's unreserved concurrency [{unreservedWithout}].");
            }

            if (unreservedWithout - wanted < options.Value.UnreservedMinimum && wanted > current)
            {
                throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException,
                    $"Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [{options.Value.UnreservedMinimum}].");
            }

            state.State.Reserved[functionName] = wanted;
        }
        else if (!state.State.Reserved.Remove(functionName))
        {
            return;
        }

        await state.WriteStateAsync();
    }

    public Task<AccountConcurrency> GetAsync() =>
        Task.FromResult(new AccountConcurrency(options.Value.AccountLimit, Unreserved));
}

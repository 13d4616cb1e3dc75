namespace LambdaCluster.Grains.Functions;

/// <inheritdoc cref="IFunctionRegistryGrain"/>
[GrainType("function-registry")]
public sealed class FunctionRegistryGrain(
    [PersistentState("registry", GrainStorageNames.Functions)] IPersistentState<FunctionRegistryState> state) : Grain, IFunctionRegistryGrain
{
    public async Task AddAsync(string functionName)
    {
        if (state.State.Names.Add(functionName))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveAsync(string functionName)
    {
        if (state.State.Names.Remove(functionName))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> ListAsync(string? marker, int maxItems)
    {
        IEnumerable<string> names = state.State.Names;
        if (marker is not null)
        {
            names = names.Where(n => string.CompareOrdinal(n, marker) > 0);
        }

        return Task.FromResult<IReadOnlyList<string>>(names.Take(maxItems).ToList());
    }

    public Task<int> CountAsync() => Task.FromResult(state.State.Names.Count);
}

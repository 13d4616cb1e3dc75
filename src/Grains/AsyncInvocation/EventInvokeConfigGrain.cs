using LambdaCluster.Grains.Functions;

namespace LambdaCluster.Grains.AsyncInvocation;

/// <inheritdoc cref="IEventInvokeConfigGrain"/>
[GrainType("event-invoke-config")]
public sealed class EventInvokeConfigGrain(
    [PersistentState("event-invoke-config", GrainStorageNames.Functions)] IPersistentState<EventInvokeConfigState> state) : Grain, IEventInvokeConfigGrain
{
    public async Task<EventInvokeConfig> PutAsync(EventInvokeConfig config)
    {
        state.State.Configs[config.Qualifier] = config;
        await state.WriteStateAsync();
        return config;
    }

    public Task<EventInvokeConfig?> GetAsync(string qualifier) => Task.FromResult(state.State.Configs.GetValueOrDefault(qualifier));

    public async Task<bool> DeleteAsync(string qualifier)
    {
        if (!state.State.Configs.Remove(qualifier))
        {
            return false;
        }

        await state.WriteStateAsync();
        return true;
    }

    public Task<IReadOnlyList<EventInvokeConfig>> ListAsync() =>
        Task.FromResult<IReadOnlyList<EventInvokeConfig>>(state.State.Configs.Values.OrderBy(c => c.Qualifier, StringComparer.Ordinal).ToList());

    public async Task ClearAsync()
    {
        if (state.State.Configs.Count > 0)
        {
            await state.ClearStateAsync();
            state.State = new EventInvokeConfigState();
        }
    }
}

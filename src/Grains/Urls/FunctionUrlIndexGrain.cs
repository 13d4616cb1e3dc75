using LambdaCluster.Grains.Functions;

namespace LambdaCluster.Grains.Urls;

/// <inheritdoc cref="IFunctionUrlIndexGrain"/>
[GrainType("function-url-index")]
public sealed class FunctionUrlIndexGrain(
    [PersistentState("url", GrainStorageNames.Functions)] IPersistentState<FunctionUrlIndexState> state) : Grain, IFunctionUrlIndexGrain
{
    public async Task SetAsync(FunctionUrlSetting? setting)
    {
        state.State.Setting = setting;
        if (setting is null)
        {
            await state.ClearStateAsync();
            state.State = new FunctionUrlIndexState();
        }
        else
        {
            await state.WriteStateAsync();
        }
    }

    public Task<FunctionUrlSetting?> GetAsync() => Task.FromResult(state.State.Setting);
}

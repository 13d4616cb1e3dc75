using LambdaCluster.Grains.Functions;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Grains.Layers;

/// <inheritdoc cref="ILayerGrain"/>
[GrainType("layer")]
public sealed class LayerGrain(
    [PersistentState("layer", GrainStorageNames.Functions)] IPersistentState<LayerState> state,
    IOptions<NodeOptions> node) : Grain, ILayerGrain
{
    private string Name => this.GetPrimaryKeyString();

    public async Task<LayerVersionDefinition> PublishAsync(LayerVersionDefinition draft)
    {
        var version = draft with
        {
            LayerName = Name,
            Version = state.State.LastVersion + 1,
            LayerArn = $"arn:aws:lambda:{node.Value.Region}:{node.Value.AccountId}:layer:{Name}",
        };
        state.State.Versions[version.Version] = version;
        state.State.LastVersion = version.Version;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IFunctionRegistryGrain>(RegistryKeys.Layers(node.Value.AccountId)).AddAsync(Name);
        return version;
    }

    public Task<LayerVersionDefinition?> GetAsync(long version) => Task.FromResult(state.State.Versions.GetValueOrDefault(version));

    public Task<IReadOnlyList<LayerVersionDefinition>> ListAsync() =>
        Task.FromResult<IReadOnlyList<LayerVersionDefinition>>([.. state.State.Versions.Values.OrderByDescending(v => v.Version)]);

    public async Task DeleteAsync(long version)
    {
        if (!state.State.Versions.Remove(version))
        {
            return;
        }

        await state.WriteStateAsync();
        if (state.State.Versions.Count == 0)
        {
            await GrainFactory.GetGrain<IFunctionRegistryGrain>(RegistryKeys.Layers(node.Value.AccountId)).RemoveAsync(Name);
        }
    }
}

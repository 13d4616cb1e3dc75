using LambdaCluster.Grains.Functions;

namespace LambdaCluster.Grains.Schemas;

/// <inheritdoc cref="ISchemaRegistryGrain"/>
[GrainType("schema-registry")]
public sealed class SchemaRegistryGrain(
    [PersistentState("schema-registry", GrainStorageNames.Functions)] IPersistentState<SchemaRegistryState> state) : Grain, ISchemaRegistryGrain
{
    public async Task<bool> CreateAsync(SchemaRegistryDefinition definition)
    {
        if (state.State.Definition is not null)
        {
            return false;
        }

        state.State.Definition = definition;
        await state.WriteStateAsync();
        return true;
    }

    public Task<SchemaRegistryDefinition?> GetAsync() => Task.FromResult(state.State.Definition);
}

using LambdaCluster.Grains.Functions;

namespace LambdaCluster.Grains.Schemas;

/// <inheritdoc cref="ISchemaGrain"/>
[GrainType("schema")]
public sealed class SchemaGrain(
    [PersistentState("schema", GrainStorageNames.Functions)] IPersistentState<SchemaState> state) : Grain, ISchemaGrain
{
    public async Task<SchemaDefinition?> CreateAsync(SchemaDefinition definition)
    {
        if (state.State.Definition is not null)
        {
            return null;
        }

        state.State.Definition = definition;
        await state.WriteStateAsync();
        await Names.AddAsync(definition.SchemaName);
        return definition;
    }

    public async Task<SchemaDefinition?> UpdateAsync(string? content, string? type, string? description, DateTimeOffset now)
    {
        if (state.State.Definition is not { } current)
        {
            return null;
        }

        state.State.Definition = current with
        {
            Content = content ?? current.Content,
            Type = type ?? current.Type,
            Description = description ?? current.Description,
            Version = current.Version + 1,
            LastModified = now,
            VersionCreatedDate = now,
        };
        await state.WriteStateAsync();
        return state.State.Definition;
    }

    public Task<SchemaDefinition?> GetAsync() => Task.FromResult(state.State.Definition);

    public async Task<bool> DeleteAsync()
    {
        if (state.State.Definition is not { } current)
        {
            return false;
        }

        await state.ClearStateAsync();
        state.State = new SchemaState();
        await Names.RemoveAsync(current.SchemaName);
        DeactivateOnIdle();
        return true;
    }

    /// <summary>The registry's list of schema names: this grain's key without its last segment.</summary>
    private IFunctionRegistryGrain Names
    {
        get
        {
            var key = this.GetPrimaryKeyString();
            var parts = key.Split('/', 3);
            return GrainFactory.GetGrain<IFunctionRegistryGrain>(SchemaKeys.SchemaNames(parts[0], parts[1]));
        }
    }
}

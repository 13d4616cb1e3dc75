using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Grains.CodeSigning;

/// <inheritdoc cref="ICodeSigningConfigGrain"/>
[GrainType("code-signing-config")]
public sealed class CodeSigningConfigGrain(
    [PersistentState("code-signing-config", GrainStorageNames.Functions)] IPersistentState<CodeSigningConfigState> state,
    IOptions<NodeOptions> node) : Grain, ICodeSigningConfigGrain
{
    public async Task<CodeSigningConfigDefinition> CreateAsync(CodeSigningConfigDefinition definition)
    {
        state.State.Definition = definition;
        await state.WriteStateAsync();
        await Registry.AddAsync(definition.Id);
        return definition;
    }

    public Task<CodeSigningConfigDefinition?> GetAsync() => Task.FromResult(state.State.Definition);

    public async Task<CodeSigningConfigDefinition> UpdateAsync(CodeSigningConfigDefinition definition)
    {
        if (state.State.Definition is null)
        {
            throw new LambdaServiceException(LambdaErrorType.ResourceNotFoundException, $"The code signing configuration cannot be found. Check that the provided configuration is not deleted: {definition.Arn}.");
        }

        state.State.Definition = definition;
        await state.WriteStateAsync();
        return definition;
    }

    public async Task<bool> DeleteAsync()
    {
        if (state.State.Definition is null)
        {
            return false;
        }

        await state.ClearStateAsync();
        state.State = new CodeSigningConfigState();
        await Registry.RemoveAsync(this.GetPrimaryKeyString());
        DeactivateOnIdle();
        return true;
    }

    private IFunctionRegistryGrain Registry => GrainFactory.GetGrain<IFunctionRegistryGrain>(RegistryKeys.CodeSigningConfigs(node.Value.AccountId));
}

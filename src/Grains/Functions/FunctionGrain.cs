using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Pool;
using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Runtimes.Invocation;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Grains.Functions;

/// <inheritdoc cref="IFunctionGrain"/>
[GrainType("function")]
public sealed class FunctionGrain(
    [PersistentState("function", GrainStorageNames.Functions)] IPersistentState<FunctionState> state,
    IOptions<NodeOptions> node,
    TimeProvider time) : Grain, IFunctionGrain
{
    private string Name => this.GetPrimaryKeyString();

    private string Arn => FunctionArns.Function(node.Value.Region, node.Value.AccountId, Name);

    public async Task<FunctionDefinition> CreateAsync(FunctionDefinition definition)
    {
        if (state.State.Definition is not null)
        {
            throw new LambdaServiceException(LambdaErrorType.ResourceConflictException, $"Function already exist: {Name}");
        }

        state.State.Definition = definition;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IFunctionRegistryGrain>(node.Value.AccountId).AddAsync(Name);
        return definition;
    }

    public Task<FunctionDefinition?> GetAsync() => Task.FromResult(state.State.Definition);

    public async Task<FunctionDefinition> UpdateCodeAsync(FunctionCodeUpdate update)
    {
        var current = Existing();
        CheckRevision(current, update.RevisionId);
        var updated = current with
        {
            CodeSha256 = update.CodeSha256,
            CodeSha256Hex = update.CodeSha256Hex,
            CodeSize = update.CodeSize,
        };
        return await SaveAsync(updated);
    }

    public async Task<FunctionDefinition> UpdateConfigurationAsync(FunctionConfigurationUpdate update)
    {
        var current = Existing();
        CheckRevision(current, update.RevisionId);
        var updated = current with
        {
            Role = update.Role ?? current.Role,
            Handler = update.Handler ?? current.Handler,
            Description = update.Description ?? current.Description,
            Timeout = update.Timeout ?? current.Timeout,
            MemorySize = update.MemorySize ?? current.MemorySize,
            Variables = update.Variables ?? current.Variables,
            Runtime = update.Runtime ?? current.Runtime,
            EphemeralStorageSize = update.EphemeralStorageSize ?? current.EphemeralStorageSize,
            TracingMode = update.TracingMode ?? current.TracingMode,
        };
        return await SaveAsync(updated);
    }

    public async Task DeleteAsync()
    {
        Existing();
        await state.ClearStateAsync();
        state.State = new FunctionState();
        await GrainFactory.GetGrain<IFunctionRegistryGrain>(node.Value.AccountId).RemoveAsync(Name);
        await Pool().RetireAsync(null);
        DeactivateOnIdle();
    }

    public Task<EnvironmentSpec> GetEnvironmentSpecAsync() => Task.FromResult(Existing().ToEnvironmentSpec());

    private async Task<FunctionDefinition> SaveAsync(FunctionDefinition updated)
    {
        updated = updated with
        {
            LastModified = time.GetUtcNow(),
            RevisionId = Guid.NewGuid().ToString(),
            ConfigRevision = Guid.NewGuid().ToString("N"),
        };
        state.State.Definition = updated;
        await state.WriteStateAsync();
        // Environments of the old revision must not serve another invocation.
        await Pool().RetireAsync(updated.ToEnvironmentSpec());
        return updated;
    }

    private FunctionDefinition Existing() =>
        state.State.Definition ?? throw LambdaServiceException.FunctionNotFound(Arn);

    private static void CheckRevision(FunctionDefinition current, string? revisionId)
    {
        if (revisionId is not null && revisionId != current.RevisionId)
        {
            throw new LambdaServiceException(LambdaErrorType.PreconditionFailedException,
                "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id");
        }
    }

    private IFunctionVersionGrain Pool() => GrainFactory.GetGrain<IFunctionVersionGrain>(FunctionVersionKey.Latest(Name));
}

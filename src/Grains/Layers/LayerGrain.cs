using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Grains.Permissions;
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

        state.State.Policies.Remove(version);
        await state.WriteStateAsync();
        if (state.State.Versions.Count == 0)
        {
            await GrainFactory.GetGrain<IFunctionRegistryGrain>(RegistryKeys.Layers(node.Value.AccountId)).RemoveAsync(Name);
        }
    }

    public async Task<(PolicyStatement Statement, string RevisionId)> AddPermissionAsync(long version, PolicyStatement statement, string? revisionId)
    {
        var existing = Existing(version);
        var policy = state.State.Policies.GetValueOrDefault(version);
        CheckRevision(policy, revisionId);
        if (policy?.Statements.Any(s => s.Sid == statement.Sid) == true)
        {
            throw new LambdaServiceException(LambdaErrorType.ResourceConflictException,
                $"The statement id ({statement.Sid}) provided already exists. Please provide a new statement id, or remove the existing statement.");
        }

        statement = statement with { Resource = existing.LayerVersionArn };
        List<PolicyStatement> statements = [.. policy?.Statements ?? [], statement];
        var size = System.Text.Encoding.UTF8.GetByteCount(PolicyDocument.Render(statements));
        if (size > PolicyDocument.MaxBytes)
        {
            throw new LambdaServiceException(LambdaErrorType.PolicyLengthExceededException, $"The final policy size ({size}) is bigger than the limit ({PolicyDocument.MaxBytes}).");
        }

        var updated = new ResourcePolicy(statements, Guid.NewGuid().ToString());
        state.State.Policies[version] = updated;
        await state.WriteStateAsync();
        return (statement, updated.RevisionId);
    }

    public Task<ResourcePolicy> GetPolicyAsync(long version)
    {
        Existing(version);
        return Task.FromResult(state.State.Policies.GetValueOrDefault(version)
            ?? throw new LambdaServiceException(LambdaErrorType.ResourceNotFoundException, "No policy is associated with the given resource."));
    }

    public async Task RemovePermissionAsync(long version, string statementId, string? revisionId)
    {
        Existing(version);
        var policy = state.State.Policies.GetValueOrDefault(version);
        CheckRevision(policy, revisionId);
        if (policy is null || policy.Statements.All(s => s.Sid != statementId))
        {
            throw new LambdaServiceException(LambdaErrorType.ResourceNotFoundException, $"Statement {statementId} is not found in resource policy.");
        }

        var remaining = policy.Statements.Where(s => s.Sid != statementId).ToList();
        if (remaining.Count == 0)
        {
            state.State.Policies.Remove(version);
        }
        else
        {
            state.State.Policies[version] = new ResourcePolicy(remaining, Guid.NewGuid().ToString());
        }

        await state.WriteStateAsync();
    }

    private LayerVersionDefinition Existing(long version) =>
        state.State.Versions.GetValueOrDefault(version)
        ?? throw new LambdaServiceException(LambdaErrorType.ResourceNotFoundException,
            $"Layer version arn:aws:lambda:{node.Value.Region}:{node.Value.AccountId}:layer:{Name}:{version} does not exist.");

    private static void CheckRevision(ResourcePolicy? policy, string? revisionId)
    {
        if (revisionId is not null && revisionId != policy?.RevisionId)
        {
            throw new LambdaServiceException(LambdaErrorType.PreconditionFailedException,
                "The Revision Id provided does not match the latest Revision Id. Call the GetLayerVersionPolicy API to retrieve the latest Revision Id");
        }
    }
}

using System.Text;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Permissions;
using LambdaCluster.Grains.Urls;

namespace LambdaCluster.Grains.Functions;

/// <summary>The function's resource-based policies, tags, and its recursion, runtime-management and code-signing settings.</summary>
public sealed partial class FunctionGrain
{
    public async Task<PolicyStatement> AddPermissionAsync(string? qualifier, PolicyStatement statement, string? revisionId)
    {
        Existing();
        if (qualifier == "$LATEST")
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, "We currently do not support adding policies for $LATEST.");
        }

        var key = PolicyKey(qualifier);
        CheckPolicyRevision(key, revisionId);
        var statements = state.State.Policies.GetValueOrDefault(key) ?? [];
        if (statements.Any(s => s.Sid == statement.Sid))
        {
            throw new LambdaServiceException(LambdaErrorType.ResourceConflictException,
                $"The statement id ({statement.Sid}) provided already exists. Please provide a new statement id, or remove the existing statement.");
        }

        var resource = key.Length == 0 ? Arn : FunctionArns.Qualified(Arn, key);
        statement = statement with { Resource = resource };
        List<PolicyStatement> updated = [.. statements, statement];
        var size = Encoding.UTF8.GetByteCount(PolicyDocument.Render(updated));
        if (size > PolicyDocument.MaxBytes)
        {
            throw new LambdaServiceException(LambdaErrorType.PolicyLengthExceededException, $"The final policy size ({size}) is bigger than the limit ({PolicyDocument.MaxBytes}).");
        }

        state.State.Policies[key] = updated;
        await SavePolicyAsync(key);
        return statement;
    }

    public Task<ResourcePolicy> GetPolicyAsync(string? qualifier)
    {
        Existing();
        var key = PolicyKey(qualifier);
        if (state.State.Policies.GetValueOrDefault(key) is not { Count: > 0 } statements)
        {
            throw new LambdaServiceException(LambdaErrorType.ResourceNotFoundException, "No policy is associated with the given resource.");
        }

        return Task.FromResult(new ResourcePolicy([.. statements], PolicyRevision(key))); // a copy: the list changes in place
    }

    public async Task RemovePermissionAsync(string? qualifier, string statementId, string? revisionId)
    {
        Existing();
        var key = PolicyKey(qualifier);
        CheckPolicyRevision(key, revisionId);
        var statements = state.State.Policies.GetValueOrDefault(key);
        if (statements is null || statements.RemoveAll(s => s.Sid == statementId) == 0)
        {
            throw new LambdaServiceException(LambdaErrorType.ResourceNotFoundException, $"Statement {statementId} is not found in resource policy.");
        }

        if (statements.Count == 0)
        {
            state.State.Policies.Remove(key);
        }

        await SavePolicyAsync(key);
    }

    public Task<IReadOnlyDictionary<string, string>> GetTagsAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(Tags());

    public async Task TagAsync(IReadOnlyDictionary<string, string> tags)
    {
        Existing();
        state.State.Tags = Tagging.ResourceTags.Apply(Tags(), tags, []);
        await state.WriteStateAsync();
    }

    public async Task UntagAsync(IReadOnlyList<string> keys)
    {
        Existing();
        state.State.Tags = Tagging.ResourceTags.Apply(Tags(), new Dictionary<string, string>(), keys);
        await state.WriteStateAsync();
    }

    public Task<string> GetRecursiveLoopAsync()
    {
        Existing();
        return Task.FromResult(state.State.RecursiveLoop);
    }

    public async Task<string> PutRecursiveLoopAsync(string recursiveLoop)
    {
        Existing();
        state.State.RecursiveLoop = recursiveLoop;
        await state.WriteStateAsync();
        return recursiveLoop;
    }

    public Task<RuntimeManagementSetting> GetRuntimeManagementAsync(string? qualifier)
    {
        var key = RuntimeManagementKey(qualifier);
        return Task.FromResult(state.State.RuntimeManagement.GetValueOrDefault(key) ?? new RuntimeManagementSetting("Auto", null));
    }

    public async Task<RuntimeManagementSetting> PutRuntimeManagementAsync(string? qualifier, RuntimeManagementSetting setting)
    {
        var key = RuntimeManagementKey(qualifier);
        state.State.RuntimeManagement[key] = setting;
        await state.WriteStateAsync();
        return setting;
    }

    public Task<string?> GetCodeSigningConfigAsync()
    {
        Existing();
        return Task.FromResult(state.State.CodeSigningConfigArn);
    }

    public async Task SetCodeSigningConfigAsync(string? arn)
    {
        Existing();
        state.State.CodeSigningConfigArn = arn;
        await state.WriteStateAsync();
    }

    private IReadOnlyDictionary<string, string> Tags() =>
        state.State.Tags ?? Existing().Tags ?? new Dictionary<string, string>();

    /// <summary>Runtime management is set per version: $LATEST (no qualifier) or a published version that exists.</summary>
    private string RuntimeManagementKey(string? qualifier)
    {
        Existing();
        if (qualifier is null or "$LATEST")
        {
            return "";
        }

        return state.State.Versions.ContainsKey(qualifier) ? qualifier : throw LambdaServiceException.FunctionNotFound(FunctionArns.Qualified(Arn, qualifier));
    }

    /// <summary>The policy a qualifier names: "" for the function ($LATEST shares it), else a version or alias that exists.</summary>
    private string PolicyKey(string? qualifier)
    {
        if (qualifier is null or "$LATEST")
        {
            return "";
        }

        return state.State.Versions.ContainsKey(qualifier) || state.State.Aliases.ContainsKey(qualifier)
            ? qualifier
            : throw LambdaServiceException.FunctionNotFound(FunctionArns.Qualified(Arn, qualifier));
    }

    /// <summary>A policy's revision is its resource's: the function's, the version's or the alias's RevisionId.</summary>
    private string PolicyRevision(string key) =>
        key.Length == 0 ? Existing().RevisionId
        : state.State.Aliases.GetValueOrDefault(key)?.RevisionId ?? state.State.Versions[key].RevisionId;

    private void CheckPolicyRevision(string key, string? revisionId)
    {
        if (revisionId is not null && revisionId != PolicyRevision(key))
        {
            throw new LambdaServiceException(LambdaErrorType.PreconditionFailedException,
                "The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id");
        }
    }

    /// <summary>A policy change gives its resource a new RevisionId, and the URL it governs learns whether it is public now.</summary>
    private async Task SavePolicyAsync(string key)
    {
        var revision = Guid.NewGuid().ToString();
        if (key.Length == 0)
        {
            state.State.Definition = Existing() with { RevisionId = revision };
        }
        else if (state.State.Aliases.TryGetValue(key, out var alias))
        {
            state.State.Aliases[key] = alias with { RevisionId = revision };
        }
        else
        {
            state.State.Versions[key] = state.State.Versions[key] with { RevisionId = revision };
        }

        await state.WriteStateAsync();
        if (state.State.Urls.GetValueOrDefault(key) is { } url)
        {
            await GrainFactory.GetGrain<IFunctionUrlIndexGrain>(url.UrlId).SetAsync(Indexed(url));
        }
    }

    /// <summary>A URL as its index holds it: with whether the policy of its function or alias makes it public.</summary>
    private FunctionUrlSetting Indexed(FunctionUrlSetting url) =>
        url with { Public = state.State.Policies.GetValueOrDefault(UrlKey(url.Qualifier))?.Any(s => s.AllowsPublicUrl) == true };
}

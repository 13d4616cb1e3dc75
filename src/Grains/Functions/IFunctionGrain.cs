using LambdaCluster.Grains.Aliases;
using LambdaCluster.Grains.Concurrency;
using LambdaCluster.Grains.Permissions;
using LambdaCluster.Grains.Pool;
using LambdaCluster.Grains.Urls;
using Orleans.Concurrency;

namespace LambdaCluster.Grains.Functions;

/// <summary>
/// A function (key: its name): the source of truth for its configuration, code reference, published
/// versions and concurrency settings. Every mutation persists before it returns and tells the function's
/// pools. Failures are <see cref="Errors.LambdaServiceException"/>s with Lambda's error types.
/// </summary>
[Alias("lambda.IFunctionGrain")]
public interface IFunctionGrain : IGrainWithStringKey
{
    [Alias("Create")] Task<FunctionDefinition> CreateAsync(FunctionDefinition definition, string? codeSigningConfigArn = null);

    /// <summary>$LATEST, or null when the function does not exist.</summary>
    [Alias("Get")] Task<FunctionDefinition?> GetAsync();

    /// <summary>$LATEST or a published version, or null when either the function or that version does not exist.</summary>
    [Alias("GetVersion")] Task<FunctionDefinition?> GetVersionAsync(string version);

    [Alias("UpdateCode")] Task<FunctionDefinition> UpdateCodeAsync(FunctionCodeUpdate update);

    [Alias("UpdateConfiguration")] Task<FunctionDefinition> UpdateConfigurationAsync(FunctionConfigurationUpdate update);

    /// <summary>Snapshots $LATEST as the next version (or returns the last one when $LATEST has not changed since).</summary>
    [Alias("PublishVersion")] Task<FunctionDefinition> PublishVersionAsync(PublishVersionRequest request);

    /// <summary>$LATEST followed by the published versions in order.</summary>
    [Alias("ListVersions")] Task<IReadOnlyList<FunctionDefinition>> ListVersionsAsync();

    /// <summary>Deletes the whole function (with <c>null</c>) or one published version.</summary>
    [Alias("Delete")] Task DeleteAsync(string? version);

    [Alias("GetReservedConcurrency")] Task<int?> GetReservedConcurrencyAsync();

    /// <summary>Sets (or with null removes) the function's reserved concurrency.</summary>
    [Alias("SetReservedConcurrency")] Task SetReservedConcurrencyAsync(int? reserved);

    [Alias("PutProvisionedConcurrency")] Task<ProvisionedConcurrencyStatus> PutProvisionedConcurrencyAsync(string qualifier, int count);

    /// <summary>The config of one qualifier, or null when it has none.</summary>
    [Alias("GetProvisionedConcurrency")] Task<ProvisionedConcurrencyStatus?> GetProvisionedConcurrencyAsync(string qualifier);

    [Alias("ListProvisionedConcurrency")] Task<IReadOnlyList<ProvisionedConcurrencyStatus>> ListProvisionedConcurrencyAsync();

    /// <summary>False when the qualifier had no config.</summary>
    [Alias("DeleteProvisionedConcurrency")] Task<bool> DeleteProvisionedConcurrencyAsync(string qualifier);

    [Alias("CreateAlias")] Task<AliasDefinition> CreateAliasAsync(AliasChange change);

    /// <summary>The alias, or null when the function or the alias does not exist. Interleaves (read-only).</summary>
    [Alias("GetAlias"), AlwaysInterleave] Task<AliasDefinition?> GetAliasAsync(string name);

    [Alias("UpdateAlias")] Task<AliasDefinition> UpdateAliasAsync(AliasChange change);

    [Alias("DeleteAlias")] Task DeleteAliasAsync(string name);

    /// <summary>Aliases in name order, only those routing to <paramref name="functionVersion"/> when given.</summary>
    [Alias("ListAliases")] Task<IReadOnlyList<AliasDefinition>> ListAliasesAsync(string? functionVersion);

    [Alias("CreateUrl")] Task<FunctionUrlSetting> CreateUrlAsync(FunctionUrlChange change);

    /// <summary>The URL of the function (qualifier null) or of an alias, or null when there is none.</summary>
    [Alias("GetUrl")] Task<FunctionUrlSetting?> GetUrlAsync(string? qualifier);

    [Alias("UpdateUrl")] Task<FunctionUrlSetting> UpdateUrlAsync(FunctionUrlChange change);

    /// <summary>False when there was no such URL.</summary>
    [Alias("DeleteUrl")] Task<bool> DeleteUrlAsync(string? qualifier);

    [Alias("ListUrls")] Task<IReadOnlyList<FunctionUrlSetting>> ListUrlsAsync();

    /// <summary>
    /// Adds a statement to the policy of the function (qualifier null), a version or an alias; returns it with its
    /// Resource. Refused: $LATEST (InvalidParameterValue), a duplicate Sid (ResourceConflict), a policy over 20 KB
    /// (PolicyLengthExceeded), a RevisionId that is not the resource's (PreconditionFailed).
    /// </summary>
    [Alias("AddPermission")] Task<PolicyStatement> AddPermissionAsync(string? qualifier, PolicyStatement statement, string? revisionId);

    /// <summary>The policy of the function (qualifier null or $LATEST), a version or an alias; ResourceNotFound when it has none.</summary>
    [Alias("GetPolicy")] Task<ResourcePolicy> GetPolicyAsync(string? qualifier);

    /// <summary>Removes a statement; ResourceNotFound when the policy has no statement of that id.</summary>
    [Alias("RemovePermission")] Task RemovePermissionAsync(string? qualifier, string statementId, string? revisionId);

    /// <summary>The function's tags (empty when it has none).</summary>
    [Alias("GetTags")] Task<IReadOnlyDictionary<string, string>> GetTagsAsync();

    /// <summary>Adds or replaces tags; InvalidParameterValue beyond 50.</summary>
    [Alias("Tag")] Task TagAsync(IReadOnlyDictionary<string, string> tags);

    [Alias("Untag")] Task UntagAsync(IReadOnlyList<string> keys);

    /// <summary>RecursiveLoop: Terminate (the default) or Allow.</summary>
    [Alias("GetRecursiveLoop")] Task<string> GetRecursiveLoopAsync();

    [Alias("PutRecursiveLoop")] Task<string> PutRecursiveLoopAsync(string recursiveLoop);

    /// <summary>The runtime management setting of $LATEST (qualifier null) or a published version (Auto when never set).</summary>
    [Alias("GetRuntimeManagement")] Task<RuntimeManagementSetting> GetRuntimeManagementAsync(string? qualifier);

    [Alias("PutRuntimeManagement")] Task<RuntimeManagementSetting> PutRuntimeManagementAsync(string? qualifier, RuntimeManagementSetting setting);

    /// <summary>The ARN of the function's code signing configuration, or null (the caller checks that the configuration exists).</summary>
    [Alias("GetCodeSigningConfig")] Task<string?> GetCodeSigningConfigAsync();

    /// <summary>Sets (or with null removes) the function's code signing configuration.</summary>
    [Alias("SetCodeSigningConfig")] Task SetCodeSigningConfigAsync(string? arn);

    /// <summary>
    /// What a version's pool needs; ResourceNotFound when the function or version does not exist. Interleaves:
    /// a pool activated by this grain's own call (Configure) asks for its settings while that call waits.
    /// </summary>
    [Alias("GetPoolSettings"), AlwaysInterleave] Task<PoolSettings> GetPoolSettingsAsync(string version);
}

using LambdaCluster.Grains.Permissions;

namespace LambdaCluster.Grains.Layers;

/// <summary>A layer (key: its name) and its published versions.</summary>
[Alias("lambda.ILayerGrain")]
public interface ILayerGrain : IGrainWithStringKey
{
    /// <summary>Publishes the next version; the definition's Version and LayerArn are filled in here.</summary>
    [Alias("Publish")] Task<LayerVersionDefinition> PublishAsync(LayerVersionDefinition draft);

    /// <summary>The version, or null when it does not exist.</summary>
    [Alias("Get")] Task<LayerVersionDefinition?> GetAsync(long version);

    /// <summary>Versions, newest first.</summary>
    [Alias("List")] Task<IReadOnlyList<LayerVersionDefinition>> ListAsync();

    /// <summary>Deletes one version; idempotent, as Lambda's DeleteLayerVersion is.</summary>
    [Alias("Delete")] Task DeleteAsync(long version);

    /// <summary>
    /// Adds a statement to a version's policy; returns the statement (with its Resource) and the policy's new revision.
    /// Refused: a missing version (ResourceNotFound), a duplicate Sid (ResourceConflict), a stale RevisionId
    /// (PreconditionFailed), a policy over 20 KB (PolicyLengthExceeded).
    /// </summary>
    [Alias("AddPermission")] Task<(PolicyStatement Statement, string RevisionId)> AddPermissionAsync(long version, PolicyStatement statement, string? revisionId);

    /// <summary>A version's policy; ResourceNotFound when the version or its policy does not exist.</summary>
    [Alias("GetPolicy")] Task<ResourcePolicy> GetPolicyAsync(long version);

    [Alias("RemovePermission")] Task RemovePermissionAsync(long version, string statementId, string? revisionId);
}

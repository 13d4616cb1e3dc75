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
}

namespace LambdaCluster.Grains.Schemas;

/// <summary>One schema of a registry (key: <see cref="SchemaKeys.Schema"/>), listed in its registry's names.</summary>
[Alias("lambda.ISchemaGrain")]
public interface ISchemaGrain : IGrainWithStringKey
{
    /// <summary>Null when a schema of that name exists already (ConflictException), leaving it unchanged.</summary>
    [Alias("Create")] Task<SchemaDefinition?> CreateAsync(SchemaDefinition definition);

    /// <summary>
    /// A new version with the fields given (null keeps the current one); null when the schema does not exist
    /// (NotFoundException).
    /// </summary>
    [Alias("Update")] Task<SchemaDefinition?> UpdateAsync(string? content, string? type, string? description, DateTimeOffset now);

    /// <summary>The latest version; null when the schema does not exist.</summary>
    [Alias("Get")] Task<SchemaDefinition?> GetAsync();

    /// <summary>False when it did not exist.</summary>
    [Alias("Delete")] Task<bool> DeleteAsync();
}

namespace LambdaCluster.Grains.Schemas;

/// <summary>A schema registry (key: <see cref="SchemaKeys.Registry"/>): exists or not, and its description.</summary>
[Alias("lambda.ISchemaRegistryGrain")]
public interface ISchemaRegistryGrain : IGrainWithStringKey
{
    /// <summary>False when the registry already exists (ConflictException), leaving it unchanged.</summary>
    [Alias("Create")] Task<bool> CreateAsync(SchemaRegistryDefinition definition);

    /// <summary>Null when the registry does not exist (NotFoundException).</summary>
    [Alias("Get")] Task<SchemaRegistryDefinition?> GetAsync();
}

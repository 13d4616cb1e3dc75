namespace LambdaCluster.Grains.Schemas;

/// <summary>A <see cref="SchemaRegistryGrain"/>'s persisted state.</summary>
[GenerateSerializer, Alias("lambda.schema-registry-state")]
public sealed class SchemaRegistryState
{
    /// <summary>Null when the registry does not exist.</summary>
    [Id(0)] public SchemaRegistryDefinition? Definition { get; set; }
}

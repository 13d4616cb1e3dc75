namespace LambdaCluster.Grains.Schemas;

/// <summary>A <see cref="SchemaGrain"/>'s persisted state.</summary>
[GenerateSerializer, Alias("lambda.schema-state")]
public sealed class SchemaState
{
    /// <summary>Null when the schema does not exist.</summary>
    [Id(0)] public SchemaDefinition? Definition { get; set; }
}

namespace LambdaCluster.Grains.Schemas;

[GenerateSerializer, Alias("lambda.schema-state")]
public sealed class SchemaState
{
    /// <summary>Null when the schema does not exist.</summary>
    [Id(0)] public SchemaDefinition? Definition { get; set; }
}

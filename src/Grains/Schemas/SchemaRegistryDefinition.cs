namespace LambdaCluster.Grains.Schemas;

/// <summary>An EventBridge schema registry (Schemas API: DescribeRegistry's fields).</summary>
[GenerateSerializer, Immutable, Alias("lambda.schema-registry")]
public sealed record SchemaRegistryDefinition
{
    [Id(0)] public required string RegistryName { get; init; }

    [Id(1)] public required string RegistryArn { get; init; }

    [Id(2)] public string? Description { get; init; }
}

namespace LambdaCluster.Grains.Schemas;

/// <summary>
/// One schema of an EventBridge schema registry (Schemas API 2019-12-02: DescribeSchema's fields). The Lambda console
/// keeps a function's shareable test events as the schema <c>_{function}-schema</c> of registry
/// <c>lambda-testevent-schemas</c>: an OpenApi3 document whose <c>components.examples</c> are the events.
/// </summary>
[GenerateSerializer, Immutable, Alias("lambda.schema")]
public sealed record SchemaDefinition
{
    [Id(0)] public required string SchemaName { get; init; }

    [Id(1)] public required string SchemaArn { get; init; }

    /// <summary>OpenApi3 or JSONSchemaDraft4.</summary>
    [Id(2)] public required string Type { get; init; }

    /// <summary>The document, 1 to 100,000 characters.</summary>
    [Id(3)] public required string Content { get; init; }

    [Id(4)] public string? Description { get; init; }

    /// <summary>"1" when created, one more on every update.</summary>
    [Id(5)] public required int Version { get; init; }

    [Id(6)] public required DateTimeOffset LastModified { get; init; }

    [Id(7)] public required DateTimeOffset VersionCreatedDate { get; init; }
}

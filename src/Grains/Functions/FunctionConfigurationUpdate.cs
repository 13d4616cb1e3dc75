namespace LambdaCluster.Grains.Functions;

/// <summary>UpdateFunctionConfiguration's input: null members are left as they are.</summary>
[GenerateSerializer, Immutable, Alias("lambda.function-configuration-update")]
public sealed record FunctionConfigurationUpdate
{
    [Id(0)] public string? Role { get; init; }
    [Id(1)] public string? Handler { get; init; }
    [Id(2)] public string? Description { get; init; }
    [Id(3)] public int? Timeout { get; init; }
    [Id(4)] public int? MemorySize { get; init; }
    [Id(5)] public IReadOnlyDictionary<string, string>? Variables { get; init; }
    [Id(6)] public string? Runtime { get; init; }
    [Id(7)] public string? RevisionId { get; init; }
    [Id(8)] public int? EphemeralStorageSize { get; init; }
    [Id(9)] public string? TracingMode { get; init; }
    /// <summary>The whole LoggingConfig after the update (already merged with the current one), or null to keep it.</summary>
    [Id(11)] public FunctionLogging? Logging { get; init; }
    [Id(10)] public IReadOnlyList<Layers.FunctionLayer>? Layers { get; init; }
    /// <summary>SnapStart.ApplyOn (PublishedVersions or None), or null to keep it.</summary>
    [Id(12)] public string? SnapStartApplyOn { get; init; }
    /// <summary>The VpcConfig after the update (empty lists remove it), or null to keep it.</summary>
    [Id(13)] public FunctionVpcConfig? Vpc { get; init; }
    /// <summary>FileSystemConfigs after the update (empty removes it), or null to keep them.</summary>
    [Id(14)] public IReadOnlyList<LambdaCluster.Runtimes.Invocation.FileSystemConfig>? FileSystems { get; init; }
    /// <summary>ImageConfig after the update (a container image function), or null to keep it.</summary>
    [Id(15)] public FunctionImageConfig? ImageConfig { get; init; }
}

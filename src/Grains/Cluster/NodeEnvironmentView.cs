namespace LambdaCluster.Grains.Cluster;

/// <summary>A live execution environment on a node: its function version, state (EnvironmentState's name) and memory (MB).</summary>
[GenerateSerializer, Immutable, Alias("lambda.node-environment-view")]
public sealed record NodeEnvironmentView(
    [property: Id(0)] string FunctionName,
    [property: Id(1)] string Version,
    [property: Id(2)] string State,
    [property: Id(3)] int MemorySize,
    [property: Id(4)] bool Provisioned);

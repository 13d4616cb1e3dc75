namespace LambdaCluster.Grains.Cluster;

/// <summary>
/// What one silo runs, for the console's cluster page: its load, its live execution environments and, per function,
/// the last hour's invocations, errors and throttles counted on this node.
/// </summary>
[GenerateSerializer, Immutable, Alias("lambda.node-view")]
public sealed record NodeView(
    [property: Id(0)] NodeLoad Load,
    [property: Id(1)] IReadOnlyList<NodeEnvironmentView> Environments,
    [property: Id(2)] IReadOnlyList<FunctionHour> Functions);

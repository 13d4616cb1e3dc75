namespace LambdaCluster.Grains.Cluster;

/// <summary>One silo's load as its node agent last sampled it; the input of environment placement.</summary>
[GenerateSerializer, Immutable, Alias("lambda.node-load")]
public sealed record NodeLoad(
    [property: Id(0)] SiloAddress Silo,
    [property: Id(1)] int Environments,
    [property: Id(2)] int Initializing,
    [property: Id(3)] int FreeSlots,
    [property: Id(4)] double CpuUsage,
    [property: Id(5)] double MemoryUsage);

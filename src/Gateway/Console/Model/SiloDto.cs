using LambdaCluster.Grains.Cluster;

namespace LambdaCluster.Gateway.Console.Model;

/// <summary>
/// One silo on the cluster page: its address and membership status, its load (environments, those initializing, free
/// slots, CPU use in percent, memory use as a fraction), its live environments and its last hour per function. A silo that
/// did not answer has Status <c>Unreachable</c> and no figures.
/// </summary>
public sealed record SiloDto(
    string Address,
    string Status,
    int Environments,
    int Initializing,
    int FreeSlots,
    double CpuUsage,
    double MemoryUsage,
    IReadOnlyList<NodeEnvironmentView> EnvironmentList,
    IReadOnlyList<FunctionHour> Functions);

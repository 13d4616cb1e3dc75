using LambdaCluster.Runtimes.Invocation;

namespace LambdaCluster.Runtimes.Sandbox;

/// <summary>
/// What one environment may use: memory (bytes, Lambda's MemorySize), processes and threads, and its CPU share, which
/// Lambda makes proportional to memory (one vCPU per 1,769 MB; https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html).
/// </summary>
public sealed record ResourceLimits(long MemoryBytes, int Pids, int MemorySizeMb)
{
    /// <summary>Lambda's memory per vCPU, in MB.</summary>
    public const int MegabytesPerVcpu = 1769;

    /// <summary>The limits of an environment of <paramref name="spec"/>: its MemorySize in bytes and <paramref name="pids"/> processes and threads.</summary>
    public static ResourceLimits For(EnvironmentSpec spec, int pids) => new(spec.MemorySize * 1024L * 1024L, pids, spec.MemorySize);

    /// <summary>cgroup v1 <c>cpu.shares</c>: 1024 (the default, one full CPU's weight) per 1,769 MB, at least 2.</summary>
    public int CpuShares => Math.Max(2, (int)(1024L * MemorySizeMb / MegabytesPerVcpu));

    /// <summary>cgroup v2 <c>cpu.weight</c>: 100 (the default) per 1,769 MB, within 1-10000.</summary>
    public int CpuWeight => Math.Clamp((int)(100L * MemorySizeMb / MegabytesPerVcpu), 1, 10000);
}

using LambdaCluster.Runtimes.Invocation;

namespace LambdaCluster.Runtimes.Sandbox;

/// <summary>
/// What one environment may use: memory (bytes, Lambda's MemorySize), processes and threads, and its CPU share, which
/// Lambda makes proportional to memory (one vCPU per 1,769 MB; https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html)
/// except during INIT, which managed runtimes run with burst CPU whatever the memory (AWS's Lambda Web Adapter,
/// configuration/async-init: "up to 10 seconds for function initialization with burst CPU").
/// </summary>
public sealed record ResourceLimits(long MemoryBytes, int Pids, int MemorySizeMb)
{
    /// <summary>Lambda's memory per vCPU, in MB.</summary>
    public const int MegabytesPerVcpu = 1769;

    /// <summary>The limits of an environment of <paramref name="spec"/>: its MemorySize in bytes and <paramref name="pids"/> processes and threads.</summary>
    public static ResourceLimits For(EnvironmentSpec spec, int pids) => new(spec.MemorySize * 1024L * 1024L, pids, spec.MemorySize);

    /// <summary>
    /// The vCPUs whose weight an environment has during an on-demand INIT or a SnapStart restore, when its memory's share
    /// is less: one, as a 1,769 MB function has. Without it, a 128 MB function's INIT beside a busy 1,769 MB environment
    /// gets 1/14 of the CPU they share, and on a loaded node can overrun Lambda's 10 s INIT limit where Lambda would have
    /// initialized it. More than one would let a burst of cold starts starve the warm invocations of small functions.
    /// Provisioned concurrency's INIT has no burst, as in Lambda.
    /// </summary>
    public const int InitBurstVcpus = 1;

    /// <summary>cgroup v1 <c>cpu.shares</c>: 1024 (the default, one full CPU's weight) per 1,769 MB, at least 2.</summary>
    public int CpuShares => Math.Max(2, (int)(1024L * MemorySizeMb / MegabytesPerVcpu));

    /// <summary>cgroup v2 <c>cpu.weight</c>: 100 (the default) per 1,769 MB, within 1-10000.</summary>
    public int CpuWeight => Math.Clamp((int)(100L * MemorySizeMb / MegabytesPerVcpu), 1, 10000);

    /// <summary>cgroup v1 <c>cpu.shares</c> during INIT: <see cref="InitBurstVcpus"/>' weight, or <see cref="CpuShares"/> when more.</summary>
    public int InitCpuShares => Math.Max(CpuShares, InitBurstVcpus * 1024);

    /// <summary>cgroup v2 <c>cpu.weight</c> during INIT: <see cref="InitBurstVcpus"/>' weight, or <see cref="CpuWeight"/> when more.</summary>
    public int InitCpuWeight => Math.Max(CpuWeight, InitBurstVcpus * 100);
}

using Orleans.Concurrency;

namespace LambdaCluster.Grains.Pool;

/// <summary>
/// One function version's pool of execution environments across all silos (key: <see cref="FunctionVersionKey"/>).
/// It decides which environment serves an invocation, where new ones start and when they stop, and
/// enforces the function's concurrency; it carries no payloads and does no storage I/O per invocation.
/// </summary>
[Alias("lambda.IFunctionVersionGrain")]
public interface IFunctionVersionGrain : IGrainWithStringKey
{
    /// <summary>
    /// An idle environment (on <paramref name="near"/> when it has one), or a new one on the least loaded silo.
    /// ResourceNotFound when the function is gone; TooManyRequests when a concurrency limit is reached.
    /// </summary>
    [Alias("Acquire")] Task<EnvironmentLease> AcquireAsync(SiloAddress? near);

    /// <summary>The leased environment finished its invocation; unreusable ones are forgotten.</summary>
    [Alias("Release"), OneWay] Task ReleaseAsync(string environmentKey, bool reusable);

    /// <summary>Code, configuration or concurrency changed (or the function was deleted, when null).</summary>
    [Alias("Configure")] Task ConfigureAsync(PoolSettings? settings);

    /// <summary>A silo left the cluster: its environments are gone.</summary>
    [Alias("SiloLeft"), OneWay] Task SiloLeftAsync(SiloAddress silo);

    /// <summary>Idle and busy environment counts, for tests and diagnostics.</summary>
    [Alias("Describe")] Task<PoolSnapshot> DescribeAsync();
}

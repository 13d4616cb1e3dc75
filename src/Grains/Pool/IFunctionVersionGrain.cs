using Orleans.Concurrency;
using LambdaCluster.Runtimes.Invocation;

namespace LambdaCluster.Grains.Pool;

/// <summary>
/// One function version's pool of execution environments (key: <see cref="FunctionVersionKey"/>).
/// It decides which environment serves an invocation and when environments start and stop; it carries
/// no payloads and does no storage I/O per invocation.
/// </summary>
[Alias("lambda.IFunctionVersionGrain")]
public interface IFunctionVersionGrain : IGrainWithStringKey
{
    /// <summary>An idle environment, or a new one when none is idle. ResourceNotFound when the function is gone.</summary>
    [Alias("Acquire")] Task<EnvironmentLease> AcquireAsync();

    /// <summary>The leased environment finished its invocation; unreusable ones are forgotten.</summary>
    [Alias("Release"), OneWay] Task ReleaseAsync(string environmentKey, bool reusable);

    /// <summary>Code or configuration changed (or the function was deleted, when null): retire older environments.</summary>
    [Alias("Retire")] Task RetireAsync(EnvironmentSpec? current);

    /// <summary>Idle and busy environment counts, for tests and diagnostics.</summary>
    [Alias("Describe")] Task<PoolSnapshot> DescribeAsync();
}

using LambdaCluster.Runtimes.Invocation;
using Orleans.Concurrency;

namespace LambdaCluster.Grains.Pool;

/// <summary>
/// One function version's pool of execution environments across all silos (key: <see cref="FunctionVersionKey"/>).
/// It decides which environment serves an invocation, where new ones start and when they stop, and enforces the
/// function's concurrency; it carries no payloads and does no storage I/O per invocation. A warm call whose caller's
/// silo holds a lease does not reach it at all (see <see cref="Invocation.InvocationDispatcher"/>).
/// </summary>
[Alias("lambda.IFunctionVersionGrain")]
public interface IFunctionVersionGrain : IGrainWithStringKey
{
    /// <summary>
    /// An idle environment (on <paramref name="near"/> when it has one), or a new one on the least loaded silo; as a
    /// value: a lease, Throttled with Lambda's Reason, or NotFound when the function or version is gone.
    /// </summary>
    /// <remarks>In a burst it may wait for room to start an environment (see the grain), so it is given longer than the default.</remarks>
    [Alias("Acquire"), ResponseTimeout("00:02:00")] Task<AcquireResult> AcquireAsync(SiloAddress? near);

    /// <summary>
    /// The lease ended; an unreusable environment (or one of an older revision) is stopped and forgotten. A release of a
    /// grant that is not the environment's current one is ignored (see <see cref="HeldLease"/>).
    /// </summary>
    [Alias("Release"), OneWay] Task ReleaseAsync(HeldLease lease, bool reusable);

    /// <summary>
    /// A fresh environment's INIT ended (ready, failed, or stopped first): it no longer counts against the starts the
    /// pool lets run at once, so an acquire waiting for one may start another.
    /// </summary>
    [Alias("Initialized"), OneWay] Task InitializedAsync(string environmentKey);

    /// <summary>A dispatcher gives back leases it held idle between calls (their environments are warm).</summary>
    [Alias("ReleaseMany"), OneWay] Task ReleaseManyAsync(IReadOnlyList<HeldLease> leases);

    /// <summary>
    /// The spec of <paramref name="revision"/>, asked by an environment about to start its process; null when the function
    /// changed since (the lease is stale). This is the only way environment variables travel: pool to environment, silo to silo.
    /// </summary>
    [Alias("GetSpec")] Task<EnvironmentSpec?> GetSpecAsync(string revision);

    /// <summary>
    /// Code, configuration or concurrency changed (or the function was deleted, when null). Returns once no dispatcher
    /// will start an invocation on an older revision.
    /// </summary>
    [Alias("Configure")] Task ConfigureAsync(PoolSettings? settings);

    /// <summary>The function's reservation is needed elsewhere: gives back every reserved slot this pool holds but does not use; returns how many.</summary>
    [Alias("Trim")] Task<int> TrimAsync();

    /// <summary>A silo left the cluster: its environments are gone.</summary>
    [Alias("SiloLeft"), OneWay] Task SiloLeftAsync(SiloAddress silo);

    /// <summary>Idle and leased environment counts, for tests and diagnostics.</summary>
    [Alias("Describe")] Task<PoolSnapshot> DescribeAsync();
}

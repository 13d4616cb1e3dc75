using System.Collections.Concurrent;
using System.Threading.Channels;
using LambdaCluster.Grains.Cluster;
using LambdaCluster.Grains.Environments;
using LambdaCluster.Grains.Pool;
using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Runtimes.Invocation;
using LambdaCluster.Runtimes.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Grains.Invocation;

/// <summary>
/// This silo's dispatcher. It keeps, for a short window (<see cref="EnvironmentOptions.LeaseHold"/>), the leases on
/// this silo's warm environments that its callers just used, and runs the next call of the same version on one of them
/// directly: in-process, with no grain message at all. Without a held lease it asks the version's pool (which prefers
/// an environment on this silo), runs the invocation where the lease says (here in-process, elsewhere through that
/// silo's environment grain) and keeps the lease when its environment is here. Held leases go back to their pool when
/// idle past the window, when their environment can no longer be used, and whenever the pool calls them back (a new
/// revision, a concurrency limit reached). The pool stays the one place that decides: a held lease counts as leased there.
/// </summary>
public sealed partial class InvocationDispatcher : IHostedService, IDisposable
{
    /// <summary>Room for INIT and a queue of cold starts beyond the function's own timeout, before a silent remote call is given up.</summary>
    private static readonly TimeSpan InitAndQueueAllowance = TimeSpan.FromMinutes(2);

    private static readonly KeyValuePair<string, object?> HeldTag = new("lease", "held");
    private static readonly KeyValuePair<string, object?> LocalTag = new("lease", "local");
    private static readonly KeyValuePair<string, object?> RemoteTag = new("lease", "remote");

    private readonly ConcurrentDictionary<string, HeldLeases> _held = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IFunctionVersionGrain> _pools = new(StringComparer.Ordinal);
    private readonly IGrainFactory _grains;
    private readonly LocalEnvironments _environments;
    private readonly SiloDepartures _departures;
    private readonly SiloAddress _silo;
    private readonly TimeProvider _time;
    private readonly TimeSpan _hold;
    private readonly ILogger _logger;
    private ITimer? _returner;

    public InvocationDispatcher(IGrainFactory grains, LocalEnvironments environments, SiloDepartures departures, ILocalSiloDetails silo, IOptions<EnvironmentOptions> options, TimeProvider time, ILogger<InvocationDispatcher> logger)
    {
        _logger = logger;
        _grains = grains;
        _environments = environments;
        _departures = departures;
        _silo = silo.SiloAddress;
        _time = time;
        _hold = options.Value.LeaseHold;
    }

    /// <summary>
    /// One attempt at an invocation of the version <paramref name="poolKey"/> names. Flow: a lease this silo holds for it →
    /// else one from the pool (Throttled or NotFound end the attempt) → run it (in-process when the environment is here,
    /// else through its environment grain) → keep the lease, or give it back. Never throws for an expected ending:
    /// every one is an <see cref="InvocationOutcome"/>, and the caller decides whether to try again.
    /// </summary>
    public async Task<InvocationResult> InvokeAsync(string poolKey, InvocationRequest request, CancellationToken cancellationToken = default, ChannelWriter<ResponseStreamPart>? stream = null)
    {
        var lease = TakeHeld(poolKey);
        KeyValuePair<string, object?>? source = lease is null ? null : HeldTag;
        if (lease is null)
        {
            var acquired = await Pool(poolKey).AcquireAsync(_silo);
            if (acquired.Lease is not { } granted)
            {
                return acquired.Status switch
                {
                    AcquireStatus.NotReady when acquired.Detail == "Pending" && acquired.Snapshot => InvocationResult.Failed(InvocationOutcome.PlatformFailure, FunctionVersionKey.Version(poolKey),
                        "Lambda is initializing your function. You can invoke the function when the function state becomes Active.", PlatformFailureReason.SnapStartNotReady),
                    AcquireStatus.NotReady => InvocationResult.Failed(InvocationOutcome.PlatformFailure, FunctionVersionKey.Version(poolKey),
                        $"The operation cannot be performed at this time. The function is currently in the following state: {acquired.Detail}", PlatformFailureReason.VersionNotActive),
                    AcquireStatus.NotFound => InvocationResult.Failed(InvocationOutcome.NotFound, FunctionVersionKey.Version(poolKey), acquired.Detail),
                    _ => InvocationResult.Failed(InvocationOutcome.Throttled, FunctionVersionKey.Version(poolKey), acquired.Detail),
                };
            }

            lease = granted;
            source = lease.Silo.Equals(_silo) ? LocalTag : RemoteTag;
        }

        LambdaTelemetry.Dispatches.Add(1, source!.Value);
        return lease.Silo.Equals(_silo)
            ? await RunHereAsync(lease, request, cancellationToken, stream)
            : await RunElsewhereAsync(lease, request, cancellationToken, stream);
    }

    /// <summary>The streaming form of <see cref="InvokeAsync"/>: head, chunks, completion (see <see cref="StreamingInvocation"/>).</summary>
    public IAsyncEnumerable<ResponseStreamPart> InvokeStreamingAsync(string poolKey, InvocationRequest request, CancellationToken cancellationToken = default) =>
        // Off its caller's scheduler (for a gateway-only process's call, the silo's one dispatcher activation, as in InvocationDispatcherGrain.InvokeAsync).
        StreamingInvocation.RunAsync((parts, abandoned) => Task.Run(() => InvokeAsync(poolKey, request, abandoned, parts), CancellationToken.None), cancellationToken);

    /// <summary>
    /// The pool calls back the leases held idle here, at most <paramref name="max"/> and the least recently used first
    /// (returned: the pool takes them back itself). With a <paramref name="revision"/>, leases of any other revision are
    /// no longer kept after they finish.
    /// </summary>
    public IReadOnlyList<HeldLease> Recall(string poolKey, string? revision, int max = int.MaxValue)
    {
        var held = Held(poolKey);
        lock (held)
        {
            if (revision is not null)
            {
                held.Revision = revision;
            }

            return held.TakeLeastRecent(max);
        }
    }

    /// <summary>Leases this silo holds idle right now, by environment key (for a pool adopting environments after a move).</summary>
    public bool Holds(string environmentKey) =>
        _held.Values.Any(h =>
        {
            lock (h)
            {
                return h.Holds(environmentKey);
            }
        });

    /// <summary>
    /// Hands back a lease after its invocation: kept for the next local call when its environment is still good and of
    /// the revision the pool last named, else given back to the pool. An environment that was busy with another
    /// invocation is still good (its lease here is stale or a duplicate, which holding resolves: one per environment).
    /// </summary>
    public void Keep(EnvironmentLease lease, InvocationResult result)
    {
        lease = lease.Fresh ? lease with { Fresh = false } : lease; // its process started: a dead one is not recreated under this lease
        var reusable = result.EnvironmentReusable || result.FailureReason == PlatformFailureReason.EnvironmentBusy;
        var held = Held(lease.PoolKey);
        long? dropped = null;
        lock (held)
        {
            if (reusable && (held.Revision is null || held.Revision == lease.Revision))
            {
                dropped = held.Add(lease, _time.GetTimestamp());
                if (dropped is null)
                {
                    return;
                }
            }
        }

        if (dropped is { } stale)
        {
            // Released all the same: the pool ignores the grant that is stale, and ends the one it is not (grant numbers
            // of two activations of a pool do not order).
            LogDuplicateLease(_logger, lease.PoolKey, lease.EnvironmentKey, stale);
            _ = Pool(lease.PoolKey).ReleaseAsync(new HeldLease(lease.EnvironmentKey, stale), true);
            return;
        }

        _ = Pool(lease.PoolKey).ReleaseAsync(lease.ToHeld(), reusable);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(50).Ticks, _hold.Ticks / 2));
        _returner = _time.CreateTimer(_ => ReturnExpired(), null, period, period);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _returner?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _returner?.Dispose();

    private EnvironmentLease? TakeHeld(string poolKey)
    {
        if (!_held.TryGetValue(poolKey, out var held))
        {
            return null;
        }

        lock (held)
        {
            return held.Take();
        }
    }

    /// <summary>The environment is on this silo: run it in-process, and keep the lease (or give it back) however it ends.</summary>
    private async Task<InvocationResult> RunHereAsync(EnvironmentLease lease, InvocationRequest request, CancellationToken cancellationToken, ChannelWriter<ResponseStreamPart>? stream)
    {
        InvocationResult result;
        if (_environments.TryGet(lease.EnvironmentKey, out var warm))
        {
            result = await warm.InvokeAsync(request, cancellationToken, stream); // never throws: every ending is an outcome
        }
        else
        {
            var (environment, failure) = await _environments.ResolveToInvokeAsync(lease);
            result = environment is null
                ? InvocationResult.Failed(InvocationOutcome.PlatformFailure, FunctionVersionKey.Version(lease.PoolKey), $"Environment {lease.EnvironmentKey} could not be used ({failure}).", failure)
                : await environment.InvokeAsync(request, cancellationToken, stream);
        }

        Keep(lease, result);
        return result;
    }

    /// <summary>
    /// The environment is on another silo: its environment grain runs the invocation and gives the lease back. The call is
    /// abandoned the moment that silo leaves the cluster, or when it outlives anything the function could take.
    /// </summary>
    private async Task<InvocationResult> RunElsewhereAsync(EnvironmentLease lease, InvocationRequest request, CancellationToken cancellationToken, ChannelWriter<ResponseStreamPart>? stream)
    {
        try
        {
            if (stream is not null)
            {
                return await RelayStreamAsync(lease, request, stream, cancellationToken);
            }

            var call = lease.Environment.InvokeAsync(lease, request);
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(lease.TimeoutSeconds) + InitAndQueueAllowance, _time);
            var ended = await Task.WhenAny(call, _departures.WhenGone(lease.Silo), Task.Delay(Timeout.Infinite, deadline.Token));
            if (ended != call)
            {
                _ = call.ContinueWith(static t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
                return GiveUp(lease);
            }

            return await call;
        }
        catch (Exception e) when (e is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException)
        {
            return GiveUp(lease);
        }
    }

    private async Task<InvocationResult> RelayStreamAsync(EnvironmentLease lease, InvocationRequest request, ChannelWriter<ResponseStreamPart> stream, CancellationToken cancellationToken)
    {
        var parts = lease.Environment.InvokeStreamingAsync(lease, request, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (parts.ConfigureAwait(false))
        {
            var gone = _departures.WhenGone(lease.Silo);
            while (true)
            {
                var next = parts.MoveNextAsync().AsTask();
                if (await Task.WhenAny(next, gone) != next)
                {
                    _ = next.ContinueWith(static t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
                    return NodeLost(lease);
                }

                if (!await next)
                {
                    return NodeLost(lease); // the stream ended without its completion
                }

                if (parts.Current.Completion is { } completion)
                {
                    return completion;
                }

                await stream.WriteAsync(parts.Current, cancellationToken);
            }
        }
    }

    /// <summary>
    /// The remote call failed or was given up: the environment grain may never have run, so nothing would release the
    /// lease. Released here as not reusable; a release by the grain after all is then ignored as stale, and vice versa.
    /// </summary>
    private InvocationResult GiveUp(EnvironmentLease lease)
    {
        _ = Pool(lease.PoolKey).ReleaseAsync(lease.ToHeld(), false);
        return NodeLost(lease);
    }

    private static InvocationResult NodeLost(EnvironmentLease lease) =>
        InvocationResult.Failed(InvocationOutcome.PlatformFailure, FunctionVersionKey.Version(lease.PoolKey), "The node running this invocation's execution environment left the cluster. Please try again.", PlatformFailureReason.NodeLost);

    /// <summary>Gives back the leases held idle past the window, one message per pool.</summary>
    private void ReturnExpired()
    {
        var cutoff = _time.GetTimestamp() - (long)(_hold.TotalSeconds * _time.TimestampFrequency);
        foreach (var (poolKey, held) in _held)
        {
            List<HeldLease>? expired;
            lock (held)
            {
                expired = held.TakeHeldBefore(cutoff);
            }

            if (expired is not null)
            {
                _ = Pool(poolKey).ReleaseManyAsync(expired);
            }
        }
    }

    private HeldLeases Held(string poolKey) => _held.GetOrAdd(poolKey, static _ => new HeldLeases());

    private IFunctionVersionGrain Pool(string poolKey) =>
        _pools.TryGetValue(poolKey, out var pool) ? pool : _pools.GetOrAdd(poolKey, key => _grains.GetGrain<IFunctionVersionGrain>(key));

    [LoggerMessage(EventId = 3110, Level = LogLevel.Warning, Message = "Dispatcher dropped a stale lease of {Pool} on {Environment} (grant {LeaseId}): a later grant on the same environment is held")]
    private static partial void LogDuplicateLease(ILogger logger, string pool, string environment, long leaseId);
}

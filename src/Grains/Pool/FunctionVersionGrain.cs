using LambdaCluster.Grains.Cluster;
using LambdaCluster.Grains.Concurrency;
using LambdaCluster.Grains.Environments;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Grains.Invocation;
using LambdaCluster.Grains.Pool.KeepWarm;
using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Runtimes.Invocation;
using LambdaCluster.Runtimes.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace LambdaCluster.Grains.Pool;

/// <inheritdoc cref="IFunctionVersionGrain"/>
/// <remarks>
/// Everything here is in memory and rebuilt on activation: settings from the function grain, environments from the
/// node agents (an activation that follows a dead silo adopts the environments still running, and the leases silos'
/// dispatchers hold). The grain is reentrant but single-threaded, so the <see cref="ConcurrencyLedger"/> is exact: a
/// lease counts from the acquire until its environment comes back, whether it runs an invocation or waits in its
/// silo's dispatcher for the next one. Before refusing for concurrency the pool calls back the leases dispatchers hold idle.
/// How long idle environments are kept, and when one is pre-warmed, is its <see cref="KeepWarmPlanner"/>'s to say.
/// </remarks>
[Reentrant, GrainType("function-version")]
public sealed partial class FunctionVersionGrain(
    ClusterView cluster,
    IOptions<EnvironmentOptions> environmentOptions,
    IOptions<ConcurrencyOptions> concurrencyOptions,
    IOptions<NodeOptions> node,
    ILocalSiloDetails localSilo,
    InvocationDispatcher localDispatcher,
    TimeProvider time,
    ILogger<FunctionVersionGrain> logger) : Grain, IFunctionVersionGrain
{
    /// <summary>How long an acquire waits for a warm environment to come back before starting a new one.</summary>
    private static readonly TimeSpan ReleaseWait = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// How long an acquire waits, while the pool's starts fill what the nodes can INIT at once, for a warm environment or
    /// a start to end, before it starts one all the same: a last resort should the word that an INIT ended be lost
    /// (a start counts until then, or until its first release, its removal, or <see cref="InitLimit"/>).
    /// </summary>
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(60);

    /// <summary>A start still counted this long after it began is no longer (INIT itself ends within 10 s).</summary>
    private static readonly TimeSpan InitLimit = TimeSpan.FromSeconds(30);

    private readonly EnvironmentTable _table = new();
    private readonly ConcurrencyLedger _ledger = new();
    private readonly SiloShortfall _shortfall = new(time);
    private readonly KeepWarmPlanner _keepWarm = new(environmentOptions.Value.KeepWarm, environmentOptions.Value.PredictiveKeepWarm, environmentOptions.Value.IdleHistoryRange);
    private ScalingRateLimiter _scaling = null!;
    private PoolSettings? _settings;
    private string? _notFound;
    private int _waitingForCover;
    private readonly SharedCall<int> _cover = new();
    private readonly SharedCall<int> _recall = new();
    private IGrainTimer? _reaper;
    private IGrainTimer? _keepWarmTimer;
    private IAccountConcurrencyGrain? _account;
    private IFunctionConcurrencyGrain? _functionConcurrency;

    private string Key => this.GetPrimaryKeyString();

    private IFunctionConcurrencyGrain FunctionConcurrency => _functionConcurrency ??= GrainFactory.GetGrain<IFunctionConcurrencyGrain>(FunctionVersionKey.FunctionName(Key));

    private IAccountConcurrencyGrain Account => _account ??= GrainFactory.GetGrain<IAccountConcurrencyGrain>(node.Value.AccountId);

    private KeyValuePair<string, object?> FunctionTag => LambdaTelemetry.Function(FunctionVersionKey.FunctionName(Key));

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        cluster.RegisterPool(Key);
        _scaling = new ScalingRateLimiter(concurrencyOptions.Value.ScalingRate, concurrencyOptions.Value.ScalingWindow, time);
        if (await LoadSettingsAsync() is { } settings)
        {
            await AdoptAsync(settings);
            EnsureProvisioned();
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        cluster.UnregisterPool(Key);
        // Also when the silo shuts down: the concurrency grains may live on another silo, and the block this activation
        // held would stay counted against the next activation under the same key. Not when this is the last silo: the
        // concurrency grains stop with it (their in-use counts are not stored), and the call could only be refused.
        var lastSilo = reason.ReasonCode == DeactivationReasonCode.ShuttingDown && cluster.ActiveSilos.Count <= 1;
        if (!lastSilo)
        {
            GiveBack(_ledger.TakeAll(), _settings);
        }

        return Task.CompletedTask;
    }

    public async Task<AcquireResult> AcquireAsync(SiloAddress? near)
    {
        // Flow: settings → concurrency (the reservation's block or the account's unreserved block; asking for more only
        // when it is used up, and calling back leases the dispatchers hold idle before refusing) → a warm environment,
        // near the caller first → one coming back within moments → one a dispatcher holds idle, called back → else a
        // new one on the least loaded silo, within the scaling rate. Any refusal gives
        // the concurrency back and is Throttled with Lambda's Reason.
        if ((_settings ?? await LoadSettingsAsync()) is not { } settings)
        {
            return AcquireResult.NotFound(_notFound ?? Key);
        }

        if (settings.VersionState is { } notReady)
        {
            return AcquireResult.NotReady(notReady, settings.Spec.SnapStart); // a SnapStart version whose snapshot is not made, or an image not pulled (yet)
        }

        if (await EnterAsync(settings) is { } refused)
        {
            return AcquireResult.Throttled(refused);
        }

        if (_settings is null)
        {
            _ledger.Return();
            return AcquireResult.NotFound(_notFound ?? Key); // deleted while this acquire waited
        }

        settings = _settings;
        if (_table.LeaseIdle(near, settings.Spec.Revision) is { } idle)
        {
            return AcquireResult.Leased(Lease(idle, near, settings));
        }

        // A lease comes back to the pool after each call only when its caller is on another silo (a silo's own callers'
        // leases stay with its dispatcher): the wait is worth it only while such a lease is out (never on a single node).
        if (_table.AnyWarmLeaseComingBack(settings.Spec.Revision) && await _table.WaitForReleaseAsync(ReleaseWait, time) is { } released)
        {
            return AcquireResult.Leased(Lease(released, near, _settings ?? settings)); // handed over by a release: the current revision
        }

        // Warm environments other silos' dispatchers hold idle are invisible here until they come back: call back one
        // from each before starting a new one (a cold start costs far more than one message per silo), else a caller
        // whose silo has none grows the pool while the others sit idle. Looked for again whatever the recall brought:
        // a dispatcher may have given one back meanwhile.
        if (_table.WarmLeased > 0)
        {
            await RecallAsync(revision: null, max: 1, except: near);
            if (_settings is { } current && _table.LeaseIdle(near, current.Spec.Revision) is { } recalled)
            {
                return AcquireResult.Leased(Lease(recalled, near, current));
            }
        }

        if (await WaitForStartRoomAsync(near) is { } handedOver)
        {
            return handedOver;
        }

        if (_settings is not { } latest)
        {
            _ledger.Return();
            return AcquireResult.NotFound(_notFound ?? Key); // deleted while this acquire waited
        }

        settings = latest;
        var silo = _scaling.TryTake() ? cluster.ChooseSilo(near) : null;
        if (silo is null)
        {
            _ledger.Return();
            Trim(settings);
            return AcquireResult.Throttled(_scaling.LastRefused ? ThrottleReasons.FunctionInvocationRateLimitExceeded : ThrottleReasons.ConcurrentInvocationLimitExceeded);
        }

        var entry = _table.MarkLeased(_table.AddStarting(new PoolEntry(EnvironmentKeys.Create(silo), silo, settings.Spec.Revision, provisioned: false), time.GetUtcNow()));
        EnsureReaper();
        return AcquireResult.Leased(Lease(entry, near, settings));
    }

    public Task ReleaseAsync(HeldLease lease, bool reusable)
    {
        Release(lease, reusable);
        return Task.CompletedTask;
    }

    public Task ReleaseManyAsync(IReadOnlyList<HeldLease> leases)
    {
        foreach (var lease in leases)
        {
            Release(lease, reusable: true);
        }

        return Task.CompletedTask;
    }

    public Task InitializedAsync(string environmentKey)
    {
        if (_table.TryGet(environmentKey, out var entry))
        {
            _table.EndInit(entry);
            _table.MarkWarm(entry);
        }

        return Task.CompletedTask;
    }

    public Task<EnvironmentSpec?> GetSpecAsync(string revision) =>
        Task.FromResult(_settings is { } settings && settings.Spec.Revision == revision ? settings.Spec : null);

    public async Task ConfigureAsync(PoolSettings? settings)
    {
        // Flow: take the new settings → call back every lease the dispatchers hold of an older revision (so that once
        // this returns no new invocation starts on old code) → forget idle environments of older revisions → a changed
        // reservation returns the block to its old source → provisioned environments follow the new count.
        var previous = _settings;
        _settings = settings;
        if (settings is null)
        {
            _notFound = LambdaServiceException.FunctionNotFound(FunctionArns.Qualified(FunctionArns.Function(node.Value.Region, node.Value.AccountId, FunctionVersionKey.FunctionName(Key)), FunctionVersionKey.Version(Key))).Message;
        }

        if (previous is not null && (settings is null || settings.Spec.Revision != previous.Spec.Revision))
        {
            await RecallAsync(settings?.Spec.Revision ?? "");
        }

        foreach (var stale in _table.Entries.Where(e => !e.Leased && (settings is null || e.Revision != settings.Spec.Revision)).ToList())
        {
            Forget(stale, settings is null ? "function deleted" : "code or configuration changed");
        }

        if (settings is null || previous is null || settings.ReservedConcurrency != previous.ReservedConcurrency)
        {
            GiveBack(_ledger.TakeAll(), previous);
        }

        EnsureProvisioned();
    }

    public async Task<int> TrimAsync()
    {
        await RecallAsync(revision: null);
        return _ledger.TakeUnused();
    }

    public Task SiloLeftAsync(SiloAddress silo)
    {
        _shortfall.Forget(silo);
        var (lost, leased) = _table.RemoveSilo(silo);
        for (var i = 0; i < leased; i++)
        {
            _ledger.Return();
        }

        if (lost > 0)
        {
            LogSiloLost(logger, Key, lost, silo);
        }

        Trim(_settings);
        EnsureProvisioned();
        NoteIfIdle();
        return Task.CompletedTask;
    }

    public Task<PoolSnapshot> DescribeAsync() => Task.FromResult(new PoolSnapshot(
        _table.Entries.Count(e => !e.Leased && e.Ready),
        _ledger.Leased,
        [.. _table.Entries.Select(e => e.EnvironmentKey)],
        _table.Entries.Count(e => e.Provisioned && e.Ready),
        _settings?.ProvisionedConcurrency ?? 0,
        _table.Initializing));

    private void Release(HeldLease lease, bool reusable)
    {
        if (!_table.TryGet(lease.EnvironmentKey, out var entry))
        {
            return;
        }

        if (!_table.EndLease(entry, lease.LeaseId))
        {
            // Not leased under this grant: a release that arrives twice or late, or after the pool took the environment
            // back itself. Handing it out again from here would lease one environment to two callers.
            LogStaleRelease(logger, Key, lease.EnvironmentKey, lease.LeaseId, entry.LeaseId);
            return;
        }

        _ledger.Return();
        entry.Fresh = false;
        if (!reusable || _settings is null || entry.Revision != _settings.Spec.Revision)
        {
            Forget(entry, reusable ? "code or configuration changed" : null);
            Trim(_settings);
            EnsureProvisioned();
        }
        else
        {
            _table.HandOverOrIdle(entry, time.GetUtcNow()); // a waiter that takes it was counted in the ledger by its own acquire
            Trim(_settings);
        }

        NoteIfIdle();
    }

    /// <summary>
    /// Takes one lease's worth of concurrency (null), or says why there is none (the throttle Reason). Concurrent acquires
    /// share one request to the source at a time, sized for all of them: requests sized each on its own (and landing in
    /// any order) could take the whole account while a call that just missed out still throttled. Before refusing, the
    /// leases silos' dispatchers hold idle are called back (they count as leased until they come back). The check and
    /// the count happen in one step, so acquires woken by the same grant cannot all take it.
    /// </summary>
    /// <summary>
    /// Starts beyond what the nodes can INIT at once (<see cref="EnvironmentOptions.MaxConcurrentInits"/> per silo) would
    /// only queue at their INIT gates, each bound to its caller while warm environments come back unused (a burst of 500
    /// calls to a cold function started 500 processes on two cores). So while this pool's starts fill that, an acquire
    /// waits for a warm environment, handed over (returned leased), or for a start to end, up to <see cref="StartWait"/>.
    /// Null: start a new one.
    /// </summary>
    private async Task<AcquireResult?> WaitForStartRoomAsync(SiloAddress? near)
    {
        var started = time.GetTimestamp();
        while (_table.Initializing >= StartCapacity && _settings is { } settings && time.GetElapsedTime(started) < StartWait)
        {
            if (await _table.WaitForReleaseAsync(TimeSpan.FromSeconds(1), time) is { } released)
            {
                return AcquireResult.Leased(Lease(released, near, _settings ?? settings));
            }
        }

        return null;
    }

    /// <summary>How many of the pool's starts may be in INIT at once: what the nodes can INIT at once.</summary>
    private int StartCapacity => environmentOptions.Value.MaxConcurrentInits * Math.Max(1, cluster.ActiveSilos.Count);

    private async Task<string?> EnterAsync(PoolSettings settings)
    {
        var reserved = settings.ReservedConcurrency;
        if (reserved == 0)
        {
            return ThrottleReasons.ReservedFunctionConcurrentInvocationLimitExceeded;
        }

        _waitingForCover++;
        try
        {
            var recalled = false;
            while (!_ledger.Covered)
            {
                var granted = await _cover.RunAsync(() => RequestCoverAsync(settings, _ledger.RequestSize(_waitingForCover)));
                if (_ledger.Covered || granted > 0)
                {
                    continue; // covered now, or others woken by the same grant took it: ask again
                }

                // The source has nothing left: leases held idle by dispatchers are the last place to look.
                if (recalled || await _recall.RunAsync(() => RecallAsync(revision: null)) == 0)
                {
                    if (_ledger.Covered)
                    {
                        break;
                    }

                    return reserved is null ? ThrottleReasons.ConcurrentInvocationLimitExceeded : ThrottleReasons.ReservedFunctionConcurrentInvocationLimitExceeded;
                }

                recalled = true;
            }

            _ledger.Lease();
            return null;
        }
        finally
        {
            _waitingForCover--;
        }
    }

    private async Task<int> RequestCoverAsync(PoolSettings settings, int count)
    {
        // Read the grant before adding: `Held += await ...` would add to the value from before the await.
        var granted = settings.ReservedConcurrency is { } reserved
            ? await FunctionConcurrency.AllocateAsync(Key, count, reserved)
            : await Account.AllocateAsync(Key, count);
        _ledger.Grant(granted);
        return granted;
    }

    /// <summary>
    /// Calls back the leases the silos' dispatchers hold idle; with a <paramref name="revision"/>, they also stop keeping
    /// leases of any other revision (those still running come back when they end). Returns how many came back.
    /// </summary>
    private async Task<int> RecallAsync(string? revision, int max = int.MaxValue, SiloAddress? except = null)
    {
        var returned = await Task.WhenAll(_table.SilosWithLeases().Where(silo => !silo.Equals(except)).Select(async silo =>
        {
            try
            {
                return silo.Equals(localSilo.SiloAddress)
                    ? localDispatcher.Recall(Key, revision, max)
                    : await GrainFactory.GetGrain<IInvocationDispatcherGrain>(DispatcherKeys.For(silo)).RecallAsync(Key, revision, max);
            }
            catch (Exception e) when (e is SiloUnavailableException or OrleansException or TimeoutException)
            {
                return [];
            }
        }));

        var count = 0;
        foreach (var lease in returned.SelectMany(r => r))
        {
            if (_table.TryGet(lease.EnvironmentKey, out var entry) && entry.Leased)
            {
                Release(lease, reusable: true);
                count++;
            }
        }

        return count;
    }

    private async Task<PoolSettings?> LoadSettingsAsync()
    {
        try
        {
            var settings = await GrainFactory.GetGrain<IFunctionGrain>(FunctionVersionKey.FunctionName(Key)).GetPoolSettingsAsync(FunctionVersionKey.Version(Key));
            return _settings ??= settings;
        }
        catch (LambdaServiceException e) when (e.ErrorType == LambdaErrorType.ResourceNotFoundException)
        {
            _notFound = e.Message; // the function does not exist (any more)
            return null;
        }
    }

    /// <summary>
    /// Takes over the environments an earlier activation of this pool left running on any node, and the leases
    /// dispatchers hold on them; those of an older revision are called back and stopped.
    /// </summary>
    private async Task AdoptAsync(PoolSettings settings)
    {
        var lists = await Task.WhenAll(cluster.ActiveSilos.Select(async silo =>
        {
            try
            {
                return await GrainFactory.GetGrain<INodeAgentGrain>(NodeAgentKeys.For(silo)).ListEnvironmentsAsync(Key);
            }
            catch (Exception e) when (e is SiloUnavailableException or OrleansException or TimeoutException)
            {
                return [];
            }
        }));

        foreach (var found in lists.SelectMany(l => l))
        {
            if (_table.TryGet(found.EnvironmentKey, out _))
            {
                continue;
            }

            var entry = _table.Add(new PoolEntry(found.EnvironmentKey, EnvironmentKeys.Silo(found.EnvironmentKey), found.Revision, found.Provisioned) { Ready = true, Warm = true, Fresh = false });
            if (found.Idle)
            {
                _table.HandOverOrIdle(entry, time.GetUtcNow());
            }
            else
            {
                _table.MarkLeased(entry, adopted: true);
                _ledger.Lease();
            }
        }

        if (_table.Count > 0)
        {
            LogAdopted(logger, Key, _table.Count);
            EnsureReaper();
        }

        // Environments of an older revision: this activation may have been started by the very update that made them
        // old (its predecessor's silo gone), so no one else will stop them. Dispatchers stop keeping their leases (the
        // idle ones come back now, the busy ones when their invocation ends), and each is stopped once it is idle.
        if (_table.Entries.Any(e => e.Revision != settings.Spec.Revision))
        {
            await RecallAsync(settings.Spec.Revision);
            foreach (var stale in _table.Entries.Where(e => !e.Leased && e.Revision != settings.Spec.Revision).ToList())
            {
                Forget(stale, "code or configuration changed");
            }
        }
    }

    private EnvironmentLease Lease(PoolEntry entry, SiloAddress? near, PoolSettings settings)
    {
        var lease = new EnvironmentLease
        {
            PoolKey = Key,
            EnvironmentKey = entry.EnvironmentKey,
            Revision = entry.Revision,
            Silo = entry.Silo,
            Environment = entry.Grain ??= GrainFactory.GetGrain<IExecutionEnvironmentGrain>(entry.EnvironmentKey),
            TimeoutSeconds = settings.Spec.Timeout,
            Fresh = entry.Fresh,
            Keep = entry.Silo.Equals(near),
            LeaseId = entry.LeaseId,
        };
        entry.ReturnsAfterEachCall = entry.Leased && !lease.Keep; // not for a provisioned or pre-warm INIT's lease, which is not counted leased
        if (entry.ReturnsAfterEachCall && near is not null && _shortfall.Crossed(near))
        {
            StartOnShortSilo(near, settings);
        }

        entry.Fresh = false;
        if (entry.Leased)
        {
            // Every acquire ends here (the lease of a provisioned or pre-warm INIT is not counted leased): an idle period
            // of the pool, if one was running, ends now.
            _keepWarm.Acquired(time.GetUtcNow());
            if (entry.Prewarmed)
            {
                entry.Prewarmed = false;
                LambdaTelemetry.PrewarmHits.Add(1, FunctionTag);
            }
        }

        return lease;
    }

    /// <summary>
    /// One more environment on a silo whose callers keep running on other silos' environments (<see cref="SiloShortfall"/>),
    /// started ahead as a pre-warm is (an on-demand INIT within its node's pre-warm budget, not leased, no cold start),
    /// so that the silo's next calls run where they arrive; the environment elsewhere that it relieves goes at the end of
    /// its keep-warm window. Only when placement would pick that silo anyway (<see cref="ClusterView.WouldChoose"/>),
    /// while the pool's starts leave room for its callers' cold starts, while the pool has fewer environments than a
    /// quarter (at least two) above those leased, never more than the reserved concurrency, and when the function fits
    /// the pre-warm budget. Takes no scaling-rate token: a caller's cold start must not be refused for it.
    /// </summary>
    private void StartOnShortSilo(SiloAddress silo, PoolSettings settings)
    {
        var leased = _table.Entries.Count(e => e.Leased);
        var room = Math.Min(Math.Max(leased + 2, leased * 5 / 4), settings.ReservedConcurrency ?? int.MaxValue);
        if (_table.Count >= room || _table.Initializing >= StartCapacity || environmentOptions.Value.PrewarmBudgetMb < settings.Spec.MemorySize || !cluster.WouldChoose(silo))
        {
            _shortfall.Ended(silo);
            return;
        }

        cluster.Placed(silo);
        var entry = _table.AddStarting(new PoolEntry(EnvironmentKeys.Create(silo), silo, settings.Spec.Revision, provisioned: false) { Ready = false }, time.GetUtcNow());
        LogShortSilo(logger, Key, silo);
        EnsureReaper();
        _ = StartOnShortSiloAsync(entry, settings, silo);
    }

    private async Task StartOnShortSiloAsync(PoolEntry entry, PoolSettings settings, SiloAddress silo)
    {
        try
        {
            await PrepareAsync(entry, settings);
            if (!entry.Ready)
            {
                LogShortSiloNotReady(logger, Key, entry.EnvironmentKey);
            }
        }
        finally
        {
            _shortfall.Ended(silo);
        }
    }

    /// <summary>Keeps the provisioned environment count at its target: starts missing ones (INIT ahead of traffic), stops surplus idle ones.</summary>
    private void EnsureProvisioned()
    {
        if (_settings is not { } settings)
        {
            return;
        }

        var provisioned = _table.Entries.Where(e => e.Provisioned && e.Revision == settings.Spec.Revision).ToList();
        foreach (var surplus in provisioned.Where(e => !e.Leased).Take(Math.Max(0, provisioned.Count - settings.ProvisionedConcurrency)))
        {
            Forget(surplus, "provisioned concurrency lowered");
        }

        for (var missing = settings.ProvisionedConcurrency - provisioned.Count; missing > 0; missing--)
        {
            if (cluster.ChooseSilo(preferred: null) is not { } silo)
            {
                break;
            }

            var entry = _table.AddStarting(new PoolEntry(EnvironmentKeys.Create(silo), silo, settings.Spec.Revision, provisioned: true), time.GetUtcNow());
            _ = PrepareAsync(entry, settings);
        }

        if (settings.ProvisionedConcurrency > 0)
        {
            EnsureReaper();
        }
    }

    /// <summary>INIT ahead of traffic: a provisioned environment, or a pre-warmed one (an on-demand INIT within its node's budget).</summary>
    private async Task PrepareAsync(PoolEntry entry, PoolSettings settings)
    {
        bool ready;
        try
        {
            var environment = GrainFactory.GetGrain<IExecutionEnvironmentGrain>(entry.EnvironmentKey);
            var lease = Lease(entry, near: null, settings);
            ready = entry.Provisioned ? await environment.PrepareAsync(lease) : await environment.PrewarmAsync(lease);
        }
        catch (Exception e) when (e is SiloUnavailableException or OrleansException or TimeoutException)
        {
            ready = false;
        }

        if (!_table.TryGet(entry.EnvironmentKey, out var current) || current != entry)
        {
            return;
        }

        if (ready)
        {
            entry.Ready = true;
            _table.HandOverOrIdle(entry, time.GetUtcNow());
            if (entry.Prewarmed)
            {
                ApplyKeepWarm(); // its keep-alive window starts now: the timer is set for its end
            }
        }
        else
        {
            // Provisioned: tried again on the next reaper tick rather than in a tight loop. Pre-warmed: one per idle period.
            _table.Remove(entry);
            if (entry.Prewarmed)
            {
                LogPrewarmNotReady(logger, Key, entry.EnvironmentKey);
            }
        }
    }

    private void Forget(PoolEntry entry, string? shutdownReason)
    {
        if (entry.Leased)
        {
            _ledger.Return();
        }

        _table.Remove(entry);
        if (shutdownReason is not null)
        {
            _ = ShutdownAsync(entry.EnvironmentKey, shutdownReason);
        }
    }

    /// <summary>Gives surplus concurrency back to its source once it exceeds max(8, leased); an idle pool gives back all of it on its next reaper tick.</summary>
    private void Trim(PoolSettings? settings) => GiveBack(_ledger.TakeSurplus(), settings);

    private void GiveBack(int count, PoolSettings? source)
    {
        if (count <= 0)
        {
            return;
        }

        if (source?.ReservedConcurrency is not null)
        {
            _ = FunctionConcurrency.ReturnAsync(Key, count);
        }
        else
        {
            _ = Account.ReturnAsync(Key, count);
        }
    }

    private void EnsureReaper()
    {
        // While the pool has environments it must stay active (it is the only one that knows them), so the
        // reaper timer keeps the grain alive; with no environments left the timer goes and the grain may be collected.
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(200).Ticks, environmentOptions.Value.KeepWarm.Ticks / 4));
        _reaper ??= this.RegisterGrainTimer(ReapAsync, new GrainTimerCreationOptions(period, period) { Interleave = true, KeepAlive = true });
    }

    private Task ReapAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        _table.EndInitsStartedBefore(now - InitLimit);
        ApplyKeepWarm();
        EnsureProvisioned();
        if (_ledger.Leased == 0)
        {
            GiveBack(_ledger.TakeAll(), _settings);
        }

        // While the planner watches an idle period (to learn its length, and to pre-warm), the pool stays active too.
        if (_table.Count == 0 && (_settings?.ProvisionedConcurrency ?? 0) == 0 && !_keepWarm.Watching(now))
        {
            _reaper?.Dispose();
            _reaper = null;
        }

        return Task.CompletedTask;
    }

    /// <summary>The last lease came back: an idle period starts, with windows from the version's idle-time history.</summary>
    private void NoteIfIdle()
    {
        if (_ledger.Leased > 0 || _settings is not { } settings)
        {
            return;
        }

        // Pre-warm only what the node's budget could hold, and not beside provisioned environments (already ready).
        var prewarmAllowed = environmentOptions.Value.PrewarmBudgetMb >= settings.Spec.MemorySize && settings.ProvisionedConcurrency == 0;
        var now = time.GetUtcNow();
        _keepWarm.WentIdle(now, prewarmAllowed);
        if (_keepWarm.Watching(now))
        {
            EnsureReaper(); // keeps the pool active through the idle period, with or without environments
        }

        ApplyKeepWarm();
    }

    /// <summary>Lets idle environments go, and starts a pre-warm, as the <see cref="KeepWarmPlanner"/> says for now.</summary>
    private void ApplyKeepWarm()
    {
        // Flow: the idle environments (ready, not leased, not provisioned) → the planner says which have outlived their
        // window (the node's fixed keep-warm, or one chosen from the version's idle-time history) and whether the
        // pre-warm is due → those go, their idle time counted as wasted warm time → the pre-warm starts → the keep-warm
        // timer is set for the planner's next moment, so that windows end and pre-warms start on time, not on a reaper tick.
        var now = time.GetUtcNow();
        var idle = _table.Entries.Where(e => !e.Leased && e.Ready && !e.Provisioned).Select(e => new WarmEnvironment(e.EnvironmentKey, e.IdleSince, e.Prewarmed)).ToList();
        var decision = _keepWarm.Decide(now, idle);
        foreach (var key in decision.LetGo)
        {
            if (_table.TryGet(key, out var entry))
            {
                LambdaTelemetry.WastedWarmTime.Add((now - entry.IdleSince).TotalSeconds, FunctionTag);
                Forget(entry, "idle past its keep-warm window");
            }
        }

        if (decision.LetGo.Count > 0)
        {
            LogReaped(logger, Key, decision.LetGo.Count);
        }

        if (decision.Prewarm)
        {
            StartPrewarm(now);
        }

        SetKeepWarmTimer(decision.NextCheck is { } next ? (next > now ? next - now : TimeSpan.Zero) : Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// One environment INIT ahead of a predicted call on the least loaded silo, as provisioned concurrency's are (but an
    /// on-demand INIT, within its node's pre-warm budget). Without a silo now, the next reaper tick asks again.
    /// </summary>
    private void StartPrewarm(DateTimeOffset now)
    {
        if (_settings is not { } settings || cluster.ChooseSilo(preferred: null) is not { } silo)
        {
            return;
        }

        _keepWarm.PrewarmStarted();
        var entry = _table.AddStarting(new PoolEntry(EnvironmentKeys.Create(silo), silo, settings.Spec.Revision, provisioned: false) { Ready = false, Prewarmed = true }, now);
        LambdaTelemetry.Prewarms.Add(1, FunctionTag);
        LogPrewarm(logger, Key, silo, _keepWarm.Windows.Prewarm, _keepWarm.Windows.KeepAlive);
        EnsureReaper();
        _ = PrepareAsync(entry, settings);
    }

    /// <summary>Sets the one-shot keep-warm timer to fire after <paramref name="wait"/> (infinite: not at all).</summary>
    private void SetKeepWarmTimer(TimeSpan wait)
    {
        if (_keepWarmTimer is not null)
        {
            _keepWarmTimer.Change(wait, Timeout.InfiniteTimeSpan);
        }
        else if (wait != Timeout.InfiniteTimeSpan)
        {
            _keepWarmTimer = this.RegisterGrainTimer(_ =>
            {
                ApplyKeepWarm();
                return Task.CompletedTask;
            }, new GrainTimerCreationOptions(wait, Timeout.InfiniteTimeSpan) { Interleave = true, KeepAlive = true });
        }
    }

    private async Task ShutdownAsync(string environmentKey, string reason)
    {
        try
        {
            await GrainFactory.GetGrain<IExecutionEnvironmentGrain>(environmentKey).ShutdownAsync(reason);
        }
        catch (Exception e) when (e is SiloUnavailableException or OrleansException or TimeoutException)
        {
            // Its silo is gone, and the environment with it.
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Pool {Pool} shut down {Count} idle environments")]
    private static partial void LogReaped(ILogger logger, string pool, int count);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Pool {Pool} lost {Count} environments with silo {Silo}")]
    private static partial void LogSiloLost(ILogger logger, string pool, int count, SiloAddress silo);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Pool {Pool} adopted {Count} running environments")]
    private static partial void LogAdopted(ILogger logger, string pool, int count);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Pool {Pool} ignored a release of {Environment} under grant {LeaseId}: its current grant is {CurrentLeaseId} (0: none)")]
    private static partial void LogStaleRelease(ILogger logger, string pool, string environment, long leaseId, long currentLeaseId);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Debug, Message = "Pool {Pool} pre-warms an environment on {Silo} (pre-warm window {Prewarm}, keep-alive window {KeepAlive}, from its idle-time history)")]
    private static partial void LogPrewarm(ILogger logger, string pool, SiloAddress silo, TimeSpan prewarm, TimeSpan keepAlive);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Debug, Message = "Pool {Pool}: pre-warmed environment {Environment} did not become ready (its node's pre-warm budget was used up, or INIT failed)")]
    private static partial void LogPrewarmNotReady(ILogger logger, string pool, string environment);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Debug, Message = "Pool {Pool} starts an environment on {Silo}, whose callers kept running on other silos' environments")]
    private static partial void LogShortSilo(ILogger logger, string pool, SiloAddress silo);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Debug, Message = "Pool {Pool}: environment {Environment}, started for a silo short of environments, did not become ready (its node's pre-warm budget was used up, or INIT failed)")]
    private static partial void LogShortSiloNotReady(ILogger logger, string pool, string environment);

}

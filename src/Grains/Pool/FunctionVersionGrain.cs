using LambdaCluster.Grains.Cluster;
using LambdaCluster.Grains.Concurrency;
using LambdaCluster.Grains.Environments;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace LambdaCluster.Grains.Pool;

/// <inheritdoc cref="IFunctionVersionGrain"/>
/// <remarks>
/// Everything here is in memory and rebuilt on activation: settings from the function grain, environments
/// from the node agents (an activation that follows a dead silo adopts the environments still running).
/// Concurrency is counted exactly here (the grain is reentrant but single-threaded): busy environments
/// against the reservation, or against the block of unreserved concurrency held from the account.
/// </remarks>
[Reentrant, GrainType("function-version")]
public sealed partial class FunctionVersionGrain(
    ClusterView cluster,
    IOptions<EnvironmentOptions> environmentOptions,
    IOptions<ConcurrencyOptions> concurrencyOptions,
    IOptions<NodeOptions> node,
    TimeProvider time,
    ILogger<FunctionVersionGrain> logger) : Grain, IFunctionVersionGrain
{
    private readonly Dictionary<string, PoolEntry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<SiloAddress, Stack<PoolEntry>> _idle = [];
    private ScalingRateLimiter _scaling = null!;
    private PoolSettings? _settings;
    private int _busy;
    private int _allocated;
    private int _waitingForCover;
    private Task<int>? _cover;
    private IGrainTimer? _reaper;
    private IAccountConcurrencyGrain? _account;
    private IFunctionConcurrencyGrain? _functionConcurrency;
    private int _functionSlots;
    private readonly Queue<TaskCompletionSource<PoolEntry>> _waiters = new();
    private int _warmBusy;

    /// <summary>How long an acquire waits for a warm environment to come back before starting a new one.</summary>
    private static readonly TimeSpan ReleaseWait = TimeSpan.FromMilliseconds(5);

    private string Key => this.GetPrimaryKeyString();

    private IFunctionConcurrencyGrain FunctionConcurrency => _functionConcurrency ??= GrainFactory.GetGrain<IFunctionConcurrencyGrain>(FunctionVersionKey.FunctionName(Key));

    private IAccountConcurrencyGrain Account => _account ??= GrainFactory.GetGrain<IAccountConcurrencyGrain>(node.Value.AccountId);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        cluster.RegisterPool(Key);
        _scaling = new ScalingRateLimiter(concurrencyOptions.Value.ScalingRate, concurrencyOptions.Value.ScalingWindow, time);
        try
        {
            _settings = await LoadSettingsAsync();
            await AdoptAsync(_settings);
            EnsureProvisioned();
        }
        catch (LambdaServiceException)
        {
            // The function does not exist (any more); Acquire says so to its callers.
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        cluster.UnregisterPool(Key);
        if (reason.ReasonCode != DeactivationReasonCode.ShuttingDown)
        {
            ReturnAllocation(_allocated); // a stopping silo takes the account grain's memory of it along anyway
        }

        return Task.CompletedTask;
    }

    public async Task<EnvironmentLease> AcquireAsync(SiloAddress? near)
    {
        // Flow: settings → concurrency (the reservation, or the account's unreserved block) → a warm environment,
        // near the caller first → else a new one on the least loaded silo, within the scaling rate. Any refusal
        // gives the concurrency back and is a 429 with Lambda's Reason.
        var settings = _settings ?? await LoadSettingsAsync();
        if (settings.ReservedConcurrency is { } reserved)
        {
            // The reservation spans every version of the function: one count, kept by the function's concurrency grain.
            if (_busy >= reserved || !await FunctionConcurrency.TryEnterAsync(reserved))
            {
                throw Throttled(ThrottleReasons.ReservedFunctionConcurrentInvocationLimitExceeded);
            }

            _functionSlots++;
        }

        if (settings.ReservedConcurrency is null && _busy >= _allocated)
        {
            await CoverAsync();
        }

        _busy++;
        try
        {
            settings = _settings ?? throw LambdaServiceException.FunctionNotFound(settings.Spec.FunctionArn);
            if (TakeIdle(near, settings.Spec.Revision) is { } idle)
            {
                idle.Busy = true;
                if (idle.Warm)
                {
                    _warmBusy++;
                }

                return Lease(idle, settings);
            }

            if (_warmBusy > 0 && await WaitForReleaseAsync() is { } released)
            {
                return Lease(released, _settings ?? settings); // handed over by Release, always of the current revision
            }

            if (!_scaling.TryTake())
            {
                throw Throttled(ThrottleReasons.FunctionInvocationRateLimitExceeded);
            }

            var silo = cluster.ChooseSilo(near) ?? throw Throttled(ThrottleReasons.ConcurrentInvocationLimitExceeded);
            var entry = new PoolEntry(EnvironmentKeys.Create(silo), silo, settings.Spec.Revision, provisioned: false) { Busy = true };
            _entries.Add(entry.EnvironmentKey, entry);
            EnsureReaper();
            return Lease(entry, settings);
        }
        catch
        {
            _busy--;
            LeaveFunctionSlot();
            TrimAllocation();
            throw;
        }
    }

    /// <summary>
    /// Waits until the account's unreserved concurrency covers one more busy environment. Concurrent calls share one
    /// request to the account grain at a time, sized for all of them: requests sized each on its own (and landing in
    /// any order) could take the whole account while a call that just missed out still throttled.
    /// </summary>
    private async Task CoverAsync()
    {
        _waitingForCover++;
        try
        {
            while (_busy >= _allocated)
            {
                var cover = _cover ??= GrantAsync(Math.Max(_waitingForCover, Math.Max(1, _busy / 8)));
                int granted;
                try
                {
                    granted = await cover;
                }
                finally
                {
                    if (ReferenceEquals(_cover, cover))
                    {
                        _cover = null; // the next request, if one is needed (or this one failed), is a new one
                    }
                }

                if (granted == 0 && _busy >= _allocated)
                {
                    TrimAllocation();
                    throw Throttled(ThrottleReasons.ConcurrentInvocationLimitExceeded);
                }
            }
        }
        finally
        {
            _waitingForCover--;
        }
    }

    private async Task<int> GrantAsync(int count)
    {
        // Read the grant before adding: `_allocated += await ...` would add to the value from before the await.
        var granted = await Account.AllocateAsync(Key, count);
        _allocated += granted;
        return granted;
    }

    public Task ReleaseAsync(string environmentKey, bool reusable)
    {
        if (!_entries.TryGetValue(environmentKey, out var entry))
        {
            return Task.CompletedTask;
        }

        if (entry.Busy)
        {
            entry.Busy = false;
            _busy--;
            LeaveFunctionSlot();
            if (entry.Warm)
            {
                _warmBusy--;
            }
        }

        TrimAllocation();
        if (!reusable || _settings is null || entry.Revision != _settings.Spec.Revision)
        {
            Forget(entry, reusable ? "code or configuration changed" : null);
            EnsureProvisioned();
            return Task.CompletedTask;
        }

        entry.Warm = true;
        while (_waiters.TryDequeue(out var waiter))
        {
            // The waiter was already counted busy: the environment passes to it directly.
            entry.Busy = true;
            _warmBusy++;
            if (waiter.TrySetResult(entry))
            {
                return Task.CompletedTask;
            }

            entry.Busy = false;
            _warmBusy--;
        }

        MakeIdle(entry);
        return Task.CompletedTask;
    }

    /// <summary>
    /// All environments are busy but some are warm, so one is likely to come back within moments: wait briefly
    /// for it rather than start a new one. Under steady load a release can reach the pool just after the next
    /// acquire (they travel different paths), and without this wait each such race cost a cold start.
    /// </summary>
    private async Task<PoolEntry?> WaitForReleaseAsync()
    {
        var waiter = new TaskCompletionSource<PoolEntry>();
        _waiters.Enqueue(waiter);
        try
        {
            return await waiter.Task.WaitAsync(ReleaseWait, time);
        }
        catch (TimeoutException)
        {
            waiter.TrySetCanceled();
            return null;
        }
    }

    public Task ConfigureAsync(PoolSettings? settings)
    {
        _settings = settings;
        foreach (var stale in _entries.Values.Where(e => !e.Busy && (settings is null || e.Revision != settings.Spec.Revision)).ToList())
        {
            Forget(stale, settings is null ? "function deleted" : "code or configuration changed");
        }

        if (settings is null || settings.ReservedConcurrency is not null)
        {
            ReturnAllocation(_allocated);
        }

        EnsureProvisioned();
        return Task.CompletedTask;
    }

    public Task SiloLeftAsync(SiloAddress silo)
    {
        var lost = _entries.Values.Where(e => e.Silo.Equals(silo)).ToList();
        foreach (var entry in lost)
        {
            _entries.Remove(entry.EnvironmentKey);
            if (entry.Busy)
            {
                _busy--;
                LeaveFunctionSlot();
                _warmBusy -= entry.Warm ? 1 : 0;
            }
        }

        _idle.Remove(silo);
        if (lost.Count > 0)
        {
            LogSiloLost(logger, Key, lost.Count, silo);
        }

        TrimAllocation();
        EnsureProvisioned();
        return Task.CompletedTask;
    }

    public Task<PoolSnapshot> DescribeAsync() => Task.FromResult(new PoolSnapshot(
        _entries.Values.Count(e => !e.Busy && e.Ready),
        _busy,
        [.. _entries.Keys],
        _entries.Values.Count(e => e.Provisioned && e.Ready),
        _settings?.ProvisionedConcurrency ?? 0));

    private async Task<PoolSettings> LoadSettingsAsync()
    {
        var settings = await GrainFactory.GetGrain<IFunctionGrain>(FunctionVersionKey.FunctionName(Key)).GetPoolSettingsAsync(FunctionVersionKey.Version(Key));
        return _settings ??= settings;
    }

    /// <summary>Takes over the environments an earlier activation of this pool left running on any node.</summary>
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
            var silo = EnvironmentKeys.Silo(found.EnvironmentKey);
            if (found.Revision != settings.Spec.Revision || _entries.ContainsKey(found.EnvironmentKey))
            {
                continue;
            }

            var entry = new PoolEntry(found.EnvironmentKey, silo, found.Revision, found.Provisioned) { Ready = true, Busy = !found.Idle, Warm = true };
            _entries.Add(entry.EnvironmentKey, entry);
            if (entry.Busy)
            {
                _busy++;
                _warmBusy++;
            }
            else
            {
                MakeIdle(entry);
            }
        }

        if (_entries.Count > 0)
        {
            LogAdopted(logger, Key, _entries.Count);
            EnsureReaper();
        }
    }

    private PoolEntry? TakeIdle(SiloAddress? near, string revision)
    {
        if (near is not null && _idle.TryGetValue(near, out var local) && Pop(local, revision) is { } nearby)
        {
            return nearby;
        }

        foreach (var stack in _idle.Values)
        {
            if (Pop(stack, revision) is { } any)
            {
                return any;
            }
        }

        return null;
    }

    /// <summary>The most recently used valid entry of a stack (warmest caches); stale ones are dropped on the way.</summary>
    private PoolEntry? Pop(Stack<PoolEntry> stack, string revision)
    {
        while (stack.TryPop(out var entry))
        {
            if (!entry.Busy && entry.Ready && entry.Revision == revision && _entries.TryGetValue(entry.EnvironmentKey, out var current) && current == entry)
            {
                return entry;
            }
        }

        return null;
    }

    private void MakeIdle(PoolEntry entry)
    {
        entry.IdleSince = time.GetUtcNow();
        if (!_idle.TryGetValue(entry.Silo, out var stack))
        {
            _idle[entry.Silo] = stack = new Stack<PoolEntry>();
        }

        stack.Push(entry);
    }

    private EnvironmentLease Lease(PoolEntry entry, PoolSettings settings) =>
        new(Key, entry.EnvironmentKey, settings.Spec, entry.Silo, entry.Grain ??= GrainFactory.GetGrain<IExecutionEnvironmentGrain>(entry.EnvironmentKey));

    /// <summary>Keeps the provisioned environment count at its target: starts missing ones (INIT ahead of traffic), stops surplus idle ones.</summary>
    private void EnsureProvisioned()
    {
        if (_settings is not { } settings)
        {
            return;
        }

        var provisioned = _entries.Values.Where(e => e.Provisioned && e.Revision == settings.Spec.Revision).ToList();
        foreach (var surplus in provisioned.Where(e => !e.Busy).Take(Math.Max(0, provisioned.Count - settings.ProvisionedConcurrency)))
        {
            Forget(surplus, "provisioned concurrency lowered");
        }

        for (var missing = settings.ProvisionedConcurrency - provisioned.Count; missing > 0; missing--)
        {
            if (cluster.ChooseSilo(preferred: null) is not { } silo)
            {
                break;
            }

            var entry = new PoolEntry(EnvironmentKeys.Create(silo), silo, settings.Spec.Revision, provisioned: true);
            _entries.Add(entry.EnvironmentKey, entry);
            _ = PrepareAsync(entry, settings);
        }

        if (settings.ProvisionedConcurrency > 0)
        {
            EnsureReaper();
        }
    }

    private async Task PrepareAsync(PoolEntry entry, PoolSettings settings)
    {
        bool ready;
        try
        {
            ready = await GrainFactory.GetGrain<IExecutionEnvironmentGrain>(entry.EnvironmentKey).PrepareAsync(Lease(entry, settings));
        }
        catch (Exception e) when (e is SiloUnavailableException or OrleansException or TimeoutException)
        {
            ready = false;
        }

        if (!_entries.TryGetValue(entry.EnvironmentKey, out var current) || current != entry)
        {
            return;
        }

        if (ready)
        {
            entry.Ready = true;
            entry.Warm = true;
            MakeIdle(entry);
        }
        else
        {
            // Tried again on the next reaper tick rather than in a tight loop.
            _entries.Remove(entry.EnvironmentKey);
        }
    }

    private void Forget(PoolEntry entry, string? shutdownReason)
    {
        _entries.Remove(entry.EnvironmentKey);
        if (shutdownReason is not null)
        {
            _ = ShutdownAsync(entry.EnvironmentKey, shutdownReason);
        }
    }

    /// <summary>An invocation that took one of the function's reserved slots has ended.</summary>
    private void LeaveFunctionSlot()
    {
        if (_functionSlots > 0)
        {
            _functionSlots--;
            _ = FunctionConcurrency.ExitAsync();
        }
    }

    /// <summary>
    /// Gives surplus unreserved concurrency back once it is more than the busy count again (and at least 8), so
    /// traffic that swings within a factor of two never asks the account again; an idle pool returns all of it
    /// on its next reaper tick.
    /// </summary>
    private void TrimAllocation()
    {
        var surplus = _allocated - _busy;
        var headroom = Math.Max(8, _busy);
        if (surplus > headroom)
        {
            ReturnAllocation(surplus - headroom);
        }
    }

    private void ReturnAllocation(int count)
    {
        if (count <= 0)
        {
            return;
        }

        _allocated -= count;
        _ = Account.ReturnAsync(Key, count);
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
        var cutoff = time.GetUtcNow() - environmentOptions.Value.KeepWarm;
        var expired = _entries.Values.Where(e => !e.Busy && e.Ready && !e.Provisioned && e.IdleSince <= cutoff).ToList();
        foreach (var entry in expired)
        {
            Forget(entry, "idle past the keep-warm window");
        }

        if (expired.Count > 0)
        {
            LogReaped(logger, Key, expired.Count);
        }

        EnsureProvisioned();
        if (_busy == 0)
        {
            ReturnAllocation(_allocated);
        }

        if (_entries.Count == 0 && (_settings?.ProvisionedConcurrency ?? 0) == 0)
        {
            _reaper?.Dispose();
            _reaper = null;
        }

        return Task.CompletedTask;
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

    private static LambdaServiceException Throttled(string reason) =>
        new(LambdaErrorType.TooManyRequestsException, "Rate Exceeded.", reason);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Pool {Pool} shut down {Count} idle environments")]
    private static partial void LogReaped(ILogger logger, string pool, int count);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Pool {Pool} lost {Count} environments with silo {Silo}")]
    private static partial void LogSiloLost(ILogger logger, string pool, int count, SiloAddress silo);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Pool {Pool} adopted {Count} running environments")]
    private static partial void LogAdopted(ILogger logger, string pool, int count);
}

using LambdaCluster.Grains.Environments;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Runtimes.Invocation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace LambdaCluster.Grains.Pool;

/// <inheritdoc cref="IFunctionVersionGrain"/>
[Reentrant, GrainType("function-version")]
public sealed partial class FunctionVersionGrain(
    ILocalSiloDetails silo,
    IOptions<EnvironmentOptions> options,
    TimeProvider time,
    ILogger<FunctionVersionGrain> logger) : Grain, IFunctionVersionGrain
{
    private readonly Dictionary<string, PoolEntry> _entries = new(StringComparer.Ordinal);
    private readonly Stack<PoolEntry> _idle = new();
    private EnvironmentSpec? _spec;
    private IGrainTimer? _reaper;

    public async Task<EnvironmentLease> AcquireAsync()
    {
        // Flow: current spec (fetched once from the function grain) → most recently used idle environment
        // of the current revision (warm) → else a new environment on this silo (cold; its INIT runs inside
        // the invocation). Throttling by reserved and account concurrency joins here with the cluster work.
        var spec = _spec ??= await GrainFactory.GetGrain<IFunctionGrain>(FunctionVersionKey.FunctionName(this.GetPrimaryKeyString())).GetEnvironmentSpecAsync();
        while (_idle.TryPop(out var idle))
        {
            if (_entries.ContainsKey(idle.EnvironmentKey) && !idle.Busy && idle.Revision == spec.Revision)
            {
                idle.Busy = true;
                return new EnvironmentLease(this.GetPrimaryKeyString(), idle.EnvironmentKey, spec);
            }
        }

        var entry = new PoolEntry(EnvironmentKeys.Create(silo.SiloAddress), spec.Revision);
        _entries.Add(entry.EnvironmentKey, entry);
        EnsureReaper();
        return new EnvironmentLease(this.GetPrimaryKeyString(), entry.EnvironmentKey, spec);
    }

    public Task ReleaseAsync(string environmentKey, bool reusable)
    {
        if (!_entries.TryGetValue(environmentKey, out var entry))
        {
            return Task.CompletedTask;
        }

        if (!reusable)
        {
            _entries.Remove(environmentKey);
            return Task.CompletedTask;
        }

        if (_spec is null || entry.Revision != _spec.Revision)
        {
            _entries.Remove(environmentKey);
            return ShutdownAsync(environmentKey, "code or configuration changed");
        }

        entry.Busy = false;
        entry.IdleSince = time.GetUtcNow();
        _idle.Push(entry);
        return Task.CompletedTask;
    }

    public async Task RetireAsync(EnvironmentSpec? current)
    {
        _spec = current;
        var stale = _entries.Values.Where(e => !e.Busy && (current is null || e.Revision != current.Revision)).ToList();
        foreach (var entry in stale)
        {
            _entries.Remove(entry.EnvironmentKey);
        }

        await Task.WhenAll(stale.Select(e => ShutdownAsync(e.EnvironmentKey, current is null ? "function deleted" : "code or configuration changed")));
    }

    public Task<PoolSnapshot> DescribeAsync() => Task.FromResult(new PoolSnapshot(
        _entries.Values.Count(e => !e.Busy),
        _entries.Values.Count(e => e.Busy),
        [.. _entries.Keys]));

    private void EnsureReaper()
    {
        // While the pool has environments it must stay active (it is the only one that knows them), so the
        // reaper timer keeps the grain alive; with no environments left the timer goes and the grain may be collected.
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(200).Ticks, options.Value.KeepWarm.Ticks / 4));
        _reaper ??= this.RegisterGrainTimer(ReapAsync, new GrainTimerCreationOptions(period, period) { Interleave = true, KeepAlive = true });
    }

    private async Task ReapAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.Value.KeepWarm;
        var expired = _entries.Values.Where(e => !e.Busy && e.IdleSince <= cutoff).ToList();
        foreach (var entry in expired)
        {
            _entries.Remove(entry.EnvironmentKey);
        }

        if (expired.Count > 0)
        {
            LogReaped(logger, this.GetPrimaryKeyString(), expired.Count);
            await Task.WhenAll(expired.Select(e => ShutdownAsync(e.EnvironmentKey, "idle past the keep-warm window")));
        }

        if (_entries.Count == 0)
        {
            _reaper?.Dispose();
            _reaper = null;
        }
    }

    private async Task ShutdownAsync(string environmentKey, string reason)
    {
        try
        {
            await GrainFactory.GetGrain<IExecutionEnvironmentGrain>(environmentKey).ShutdownAsync(reason);
        }
        catch (SiloUnavailableException)
        {
            // Its silo is gone, and the environment with it.
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Pool {Pool} shut down {Count} idle environments")]
    private static partial void LogReaped(ILogger logger, string pool, int count);
}

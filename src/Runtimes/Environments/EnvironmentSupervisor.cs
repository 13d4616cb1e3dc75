using System.Collections.Concurrent;
using LambdaCluster.Runtimes.Catalog;
using LambdaCluster.Runtimes.Invocation;
using LambdaCluster.Runtimes.Prestart;
using LambdaCluster.Runtimes.Snapshots;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LambdaCluster.Runtimes.Environments;

/// <summary>
/// This node's execution environments: creates them on a free Runtime API slot, finds them by the slot
/// a runtime connects to, and stops them all when the node stops. Silo-local: environment grains
/// placed on this node reach their processes through it.
/// </summary>
public sealed partial class EnvironmentSupervisor : IHostedService, IDisposable
{
    private readonly EnvironmentServices _services;
    private ITimer? _orphanReaper;
    private readonly ConcurrentDictionary<string, ExecutionEnvironment> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, ExecutionEnvironment> _byPort = new();
    private readonly ConcurrentQueue<int> _freePorts = new();
    private readonly TaskCompletionSource _slotsReady = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public EnvironmentSupervisor(EnvironmentServices services)
    {
        _services = services;
        Snapshots = new SnapshotTemplates(services, () => _freePorts.TryDequeue(out var port) ? port : null, _freePorts.Enqueue);
        Prestarts = new PrestartPool(services, () => _freePorts.TryDequeue(out var port) ? port : null, _freePorts.Enqueue);
    }

    /// <summary>This node's runtimes started ahead of their functions, on Runtime API slots of this supervisor.</summary>
    public PrestartPool Prestarts { get; }

    /// <summary>This node's SnapStart templates, on Runtime API slots of this supervisor.</summary>
    public SnapshotTemplates Snapshots { get; }

    /// <summary>Number of live environments on this node.</summary>
    public int Count => _byId.Count;

    public IReadOnlyCollection<ExecutionEnvironment> Environments => [.. _byId.Values];

    /// <summary>Called once by the Runtime API server with the loopback ports it bound.</summary>
    public void AddSlots(IEnumerable<int> ports)
    {
        foreach (var port in ports)
        {
            _freePorts.Enqueue(port);
        }

        _slotsReady.TrySetResult();
    }

    /// <summary>
    /// The environment with this id, created (not yet started) on a free Runtime API slot when new. Null, with the
    /// reason, when this node has no free slot (<see cref="PlatformFailureReason.NoCapacity"/>) or does not serve the
    /// spec's runtime (<see cref="PlatformFailureReason.LaunchFailed"/>).
    /// </summary>
    public async Task<(ExecutionEnvironment? Environment, PlatformFailureReason Failure)> GetOrCreateAsync(string environmentId, EnvironmentSpec spec, CancellationToken cancellationToken)
    {
        if (_byId.TryGetValue(environmentId, out var existing))
        {
            return (existing, PlatformFailureReason.None);
        }

        await _slotsReady.Task.WaitAsync(cancellationToken);
        RuntimeDescriptor? runtime = spec.Image is not null ? RuntimeCatalog.ContainerImage : RuntimeCatalog.TryGet(spec.Runtime, out var managed) ? managed : null;
        if (runtime is null)
        {
            return (null, PlatformFailureReason.LaunchFailed);
        }

        // A runtime started ahead of its function brings its own slot (its port is the one it listens to).
        var prestarted = Prestarts.TryTake(spec, runtime);
        var port = prestarted?.RuntimeApiPort ?? 0;
        if (prestarted is null && !_freePorts.TryDequeue(out port) && !TryMakeRoom(out port))
        {
            return (null, PlatformFailureReason.NoCapacity);
        }

        var environment = new ExecutionEnvironment(environmentId, spec, runtime, port, _services, Forget, Snapshots, prestarted);
        if (!_byId.TryAdd(environmentId, environment))
        {
            prestarted?.Dispose();
            _freePorts.Enqueue(port);
            return (_byId[environmentId], PlatformFailureReason.None);
        }

        _byPort[port] = environment;
        return (environment, PlatformFailureReason.None);
    }

    public bool TryGet(string environmentId, out ExecutionEnvironment environment) => _byId.TryGetValue(environmentId, out environment!);

    /// <summary>The environment whose Runtime API endpoint is the given local port.</summary>
    public bool TryGetByPort(int port, out ExecutionEnvironment environment) => _byPort.TryGetValue(port, out environment!);

    /// <summary>Environments of this node whose runtime is starting.</summary>
    public int InitializingCount => _byId.Values.Count(e => e.State is EnvironmentState.Created or EnvironmentState.Initializing);

    /// <summary>Runtime API slots not held by an environment (all configured ones while the server is still binding them).</summary>
    public int FreeSlots => _slotsReady.Task.IsCompleted ? _freePorts.Count : _services.Options.RuntimeApiSlots;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // The pools reap idle environments after their keep-warm window. This is the safety net for environments
        // whose pool forgot them (its silo died and it came back empty): twice the longest window, then they go too.
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(1).Ticks, _services.Options.KeepWarm.Ticks / 4));
        _orphanReaper = _services.Time.CreateTimer(_ => ReapOrphans(), null, period, period);
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _orphanReaper?.Dispose();
        Prestarts.Dispose();
    }

    /// <summary>
    /// Every slot is held. Idle environments are a cache, and Lambda does not turn an invocation away because other
    /// functions are warm: the environment idle longest (never a provisioned one) is stopped, and its slot taken. False
    /// when none is idle, or its slot is not free at once (extensions still in their SHUTDOWN phase).
    /// </summary>
    private bool TryMakeRoom(out int port)
    {
        var idlest = _byId.Values.Where(e => !e.Provisioned && e.IdleFor > TimeSpan.Zero).MaxBy(e => e.IdleFor);
        if (idlest is not null)
        {
            LogEvicted(_services.Logger, idlest.Id, idlest.Spec.FunctionName, idlest.IdleFor.TotalSeconds);
            idlest.Shutdown("evicted to make room for another environment", graceful: true);
        }

        return _freePorts.TryDequeue(out port);
    }

    private void ReapOrphans()
    {
        var limit = _services.Options.LongestKeepWarm * 2;
        foreach (var environment in _byId.Values)
        {
            if (!environment.Provisioned && environment.IdleFor > limit)
            {
                environment.Shutdown("idle for twice the longest keep-warm window without its pool");
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _orphanReaper?.Dispose();
        foreach (var environment in _byId.Values)
        {
            environment.Shutdown("node stopping");
        }

        Snapshots.StopAll();
        Prestarts.StopAll();

        return Task.CompletedTask;
    }

    private void Forget(ExecutionEnvironment environment)
    {
        if (_byId.TryRemove(new KeyValuePair<string, ExecutionEnvironment>(environment.Id, environment)))
        {
            _byPort.TryRemove(environment.RuntimeApiPort, out _);
            _freePorts.Enqueue(environment.RuntimeApiPort);
        }
    }

    [LoggerMessage(EventId = 2030, Level = LogLevel.Information, Message = "Environment {EnvironmentId} of {FunctionName}, idle {IdleSeconds:0} s, stopped: every Runtime API slot of this node was in use")]
    private static partial void LogEvicted(ILogger logger, string environmentId, string functionName, double idleSeconds);
}

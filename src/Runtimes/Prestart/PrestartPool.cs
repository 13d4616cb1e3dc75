using System.Collections.Concurrent;
using LambdaCluster.Runtimes.Catalog;
using LambdaCluster.Runtimes.Environments;
using LambdaCluster.Runtimes.Invocation;
using LambdaCluster.Runtimes.Launch;
using Microsoft.Extensions.Logging;

namespace LambdaCluster.Runtimes.Prestart;

/// <summary>
/// This node's pre-started runtimes (<see cref="PrestartedProcess"/>), per <see cref="PrestartKey"/>: a cold start of a
/// Node.js or Python function takes one instead of starting an interpreter. The pool refills in the background, one
/// start at a time, to what recent cold starts asked of each key (their count in the last minute, at most
/// <see cref="Hosting.EnvironmentOptions.PrestartPerKey"/>; one while the key saw a cold start within the keep-warm
/// window), within <see cref="Hosting.EnvironmentOptions.PrestartBudgetMb"/> of memory. Owned by the
/// <see cref="EnvironmentSupervisor"/>, whose Runtime API slots it uses.
/// </summary>
public sealed partial class PrestartPool : IDisposable
{
    private static readonly TimeSpan RefillPeriod = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan DemandWindow = TimeSpan.FromMinutes(1);

    /// <summary>Variables that act when an interpreter starts: a function that sets one gets a fresh process.</summary>
    private static readonly string[] StartupVariablePrefixes = ["NODE_", "PYTHON", "LD_", "UV_", "MALLOC", "GLIBC", "OPENSSL", "LANG", "LC_", "AWS_LAMBDA_EXEC_WRAPPER"];

    private readonly EnvironmentServices _services;
    private readonly Func<int?> _reserveSlot;
    private readonly Action<int> _releaseSlot;
    private readonly string _slots;
    private readonly bool _sandboxed;
    private readonly Lock _helperGate = new();
    private SlotMountHelper? _mounts;
    private readonly ConcurrentDictionary<int, PrestartedProcess> _byPort = new();
    private readonly ConcurrentDictionary<PrestartKey, ConcurrentQueue<long>> _coldStarts = new();
    private readonly ITimer? _refill;
    private int _starting;

    internal PrestartPool(EnvironmentServices services, Func<int?> reserveSlot, Action<int> releaseSlot)
    {
        _services = services;
        _reserveSlot = reserveSlot;
        _releaseSlot = releaseSlot;
        _slots = Path.Combine(services.DataDirectory, "prestart");
        _sandboxed = services.ForkConfinement?.Sandboxed == true;
        if (services.Options.Prestart)
        {
            _refill = services.Time.CreateTimer(_ => Refill(), null, RefillPeriod, RefillPeriod);
        }
    }

    /// <summary>Pre-started runtimes waiting for a function (or starting).</summary>
    public int Count => _byPort.Count;

    /// <summary>The pre-started runtime whose Runtime API endpoint is this local port (before it is taken).</summary>
    internal bool TryGetByPort(int port, out PrestartedProcess process) => _byPort.TryGetValue(port, out process!);

    /// <summary>
    /// A cold start of <paramref name="spec"/>: counts the demand, and hands over a ready runtime for it (its port becomes
    /// the environment's) when one waits and the function may use one. Null otherwise: the environment starts its own.
    /// </summary>
    internal PrestartedProcess? TryTake(EnvironmentSpec spec, RuntimeDescriptor runtime)
    {
        if (!_services.Options.Prestart || !Eligible(spec, runtime))
        {
            return null;
        }

        var key = new PrestartKey(spec.Runtime, spec.MemorySize, spec.EphemeralStorageSize);
        _coldStarts.GetOrAdd(key, _ => new ConcurrentQueue<long>()).Enqueue(_services.Time.GetTimestamp());
        foreach (var process in _byPort.Values)
        {
            if (process.Key == key && process.Ready && _byPort.TryRemove(new KeyValuePair<int, PrestartedProcess>(process.RuntimeApiPort, process)))
            {
                return process;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether a pre-started runtime serves this function exactly as a fresh process would: not one in a VPC or with a file
    /// system (pre-started runtimes wait in the node's network namespace, as their own user).
    /// </summary>
    internal static bool Eligible(EnvironmentSpec spec, RuntimeDescriptor runtime) =>
        runtime.Family is RuntimeFamily.NodeJs or RuntimeFamily.Python && !spec.SnapStart && spec.Vpc is null && spec.FileSystem is null
        && !spec.Variables.Keys.Any(name => StartupVariablePrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)));

    /// <summary>Stops every waiting runtime (the node is stopping).</summary>
    internal void StopAll()
    {
        _refill?.Dispose();
        foreach (var process in _byPort.Values)
        {
            Forget(process);
        }

        _mounts?.Dispose(); // its namespace, and every mount made there, goes with it
    }

    public void Dispose()
    {
        _refill?.Dispose();
        _mounts?.Dispose();
    }

    /// <summary>
    /// One refill step. Flow: forget runtimes that died → for the key most short of its target (by recent cold starts),
    /// start one runtime, unless one is already starting or the waiting ones use up the memory budget.
    /// </summary>
    private void Refill()
    {
        foreach (var dead in _byPort.Values.Where(p => p.Exited.IsCompleted))
        {
            Forget(dead);
        }

        // One start at a time (timer callbacks may overlap): the flag is cleared once that runtime waits (or failed).
        if (_services.Options.PrestartPerKey == 0 || Interlocked.CompareExchange(ref _starting, 1, 0) != 0)
        {
            return;
        }

        var started = false;
        try
        {
            started = _byPort.Values.Sum(p => p.MaxMemoryUsedMb()) < _services.Options.PrestartBudgetMb && StartNeediest();
        }
        catch (Exception e)
        {
            LogStartFailed(_services.Logger, e, "(refill)"); // a timer callback must not throw: it would take the node down
        }
        finally
        {
            if (!started)
            {
                Volatile.Write(ref _starting, 0);
            }
        }
    }

    /// <summary>Starts a runtime for the key most short of its target; false when none is short (or it could not start).</summary>
    private bool StartNeediest()
    {
        var now = _services.Time.GetTimestamp();
        PrestartKey? neediest = null;
        var largestShortfall = 0;
        foreach (var (key, starts) in _coldStarts)
        {
            while (starts.TryPeek(out var oldest) && _services.Time.GetElapsedTime(oldest, now) > _services.Options.KeepWarm)
            {
                starts.TryDequeue(out _);
            }

            var recent = starts.Count(t => _services.Time.GetElapsedTime(t, now) <= DemandWindow);
            var target = starts.IsEmpty ? 0 : Math.Clamp(recent, 1, _services.Options.PrestartPerKey);
            var shortfall = target - _byPort.Values.Count(p => p.Key == key);
            if (shortfall > largestShortfall)
            {
                (neediest, largestShortfall) = (key, shortfall);
            }
        }

        return neediest is { } chosen && RuntimeCatalog.TryGet(chosen.Runtime, out var runtime) && Start(chosen, runtime);
    }

    /// <summary>Launches one runtime for <paramref name="key"/>; true when it is starting (the flag is cleared when it waits, exits or 10 s pass).</summary>
    private bool Start(PrestartKey key, RuntimeDescriptor runtime)
    {
        var mounts = Mounts();
        if ((_sandboxed && mounts is null) || _reserveSlot() is not { } port)
        {
            return false;
        }

        var id = Guid.NewGuid().ToString("N");
        var process = new PrestartedProcess(id, key, port, Path.Combine(_slots, id), mounts);
        _byPort[port] = process;
        try
        {
            // What every function of the key shares; the function's own variables come with its assignment.
            var spec = new EnvironmentSpec
            {
                FunctionName = "", FunctionArn = "", Version = "", Runtime = key.Runtime, Handler = "", MemorySize = key.MemorySize, Timeout = 3,
                CodeSha256Hex = "", Variables = new Dictionary<string, string>(), Revision = "", LogGroup = "", Region = "",
                EphemeralStorageSize = key.EphemeralStorageSize,
            };
            process.Start(_services.Launcher, new LaunchRequest(id, spec, runtime, process.TaskFolder, $"127.0.0.1:{port}", "", "on-demand"));
            _ = process.WaitUntilParkedAsync(TimeSpan.FromSeconds(10), _services.Time).ContinueWith(_ =>
            {
                if (!process.Ready)
                {
                    Forget(process); // it never came to wait for a function (or died): its slot goes back
                }

                Volatile.Write(ref _starting, 0);
            }, TaskScheduler.Default);
            return true;
        }
        catch (Exception e)
        {
            LogStartFailed(_services.Logger, e, key.Runtime);
            Forget(process);
            return false;
        }
    }

    /// <summary>
    /// The slot helper (its mount namespace), started on first need and again if it died; null unconfined, or when it
    /// cannot start. Slot folders a killed node left behind hold no mounts (they went with its helper) and are removed.
    /// </summary>
    private SlotMountHelper? Mounts()
    {
        if (!_sandboxed)
        {
            return null;
        }

        lock (_helperGate)
        {
            if (_mounts is { Alive: true })
            {
                return _mounts;
            }

            try
            {
                _mounts?.Dispose();
                if (_mounts is null && Directory.Exists(_slots))
                {
                    Directory.Delete(_slots, recursive: true);
                }

                _mounts = new SlotMountHelper(_services.Options.PythonExecutable, Path.Combine(AppContext.BaseDirectory, "prestart", "slot-mounts.py"), _slots);
                return _mounts;
            }
            catch (Exception e) when (e is IOException or System.ComponentModel.Win32Exception or UnauthorizedAccessException)
            {
                LogStartFailed(_services.Logger, e, "(slot mounts)");
                _mounts = null;
                return null;
            }
        }
    }

    private void Forget(PrestartedProcess process)
    {
        if (_byPort.TryRemove(new KeyValuePair<int, PrestartedProcess>(process.RuntimeApiPort, process)))
        {
            process.Dispose();
            _releaseSlot(process.RuntimeApiPort);
        }
    }

    [LoggerMessage(EventId = 2501, Level = LogLevel.Warning, Message = "A pre-started {Runtime} runtime could not be started")]
    private static partial void LogStartFailed(ILogger logger, Exception exception, string runtime);
}

using System.Globalization;
using System.Threading.Channels;
using LambdaCluster.Runtimes.Catalog;
using LambdaCluster.Runtimes.Environments;
using LambdaCluster.Runtimes.Invocation;
using LambdaCluster.Runtimes.Launch;
using LambdaCluster.Runtimes.Sandbox;
using Microsoft.Extensions.Logging;

namespace LambdaCluster.Runtimes.Snapshots;

/// <summary>
/// A SnapStart version's snapshot on this node: a runtime that ran INIT once with
/// <c>AWS_LAMBDA_INITIALIZATION_TYPE=snap-start</c>, ran its before-snapshot hooks and parked in the Runtime API's
/// <c>GET /2018-06-01/runtime/restore/next</c> (the contract of AWS's runtime clients and the Runtime Interface
/// Emulator, https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html). Each answer to that long poll is an order
/// (<see cref="TemplateOrder"/>): fork a new environment, or reap one that exited. CRIU cannot checkpoint on this
/// kernel, so the snapshot is the parked process itself and a restore is a fork of it.
/// Its own log stream holds INIT_START and INIT_REPORT, as Lambda logs the snapshot's INIT at publish time.
/// </summary>
internal sealed partial class SnapshotTemplate
{
    /// <summary>Lambda's limit on a SnapStart INIT: the function's timeout, at least 130 seconds.</summary>
    public static TimeSpan InitLimit(EnvironmentSpec spec) => TimeSpan.FromSeconds(Math.Max(130, spec.Timeout));

    private readonly EnvironmentServices _services;
    private readonly RuntimeDescriptor _runtime;
    private readonly ProcessHost _process;
    private readonly InvocationReport _report;
    private readonly Action<SnapshotTemplate> _onStopped;
    private readonly Action<int> _releasePort;
    private readonly Channel<TemplateOrder> _orders = Channel.CreateUnbounded<TemplateOrder>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource<TemplateReadiness> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool _sandboxed;
    private long _started;
    private int _stopped;
    private long _countedMemoryMb = -1;
    private int _forks;
    private long _lastForkAt;
    private int _portReleased;

    /// <param name="releasePort">Gives the template's Runtime API port back to the node: once the template stopped and no
    /// fork of it is left (forks run as the port's user, whose network rules name their ports until they go).</param>
    public SnapshotTemplate(string id, EnvironmentSpec spec, RuntimeDescriptor runtime, int runtimeApiPort, string forkDirectory, bool sandboxed, EnvironmentServices services,
        Action<SnapshotTemplate> onStopped, Action<int> releasePort)
    {
        _releasePort = releasePort;
        Id = id;
        Spec = spec;
        RuntimeApiPort = runtimeApiPort;
        ForkDirectory = forkDirectory;
        _sandboxed = sandboxed;
        _runtime = runtime;
        _services = services;
        _onStopped = onStopped;
        _process = new ProcessHost(services.Launcher);
        _report = new InvocationReport(services.Logs, services.Time, spec, runtime, Logs.PlatformLogLines.StreamName(services.Time.GetUtcNow(), spec.Version, id));
    }

    public string Id { get; }

    public EnvironmentSpec Spec { get; }

    public int RuntimeApiPort { get; }

    /// <summary>The host folder holding the output pipes of this template's forks.</summary>
    public string ForkDirectory { get; }

    /// <summary>The host user the template (and so each fork) runs as, when sandboxed; null unconfined.</summary>
    public int? User => _sandboxed ? SandboxLauncher.UserFor($"127.0.0.1:{RuntimeApiPort}", _services.Options.SandboxUserIdBase) : null;

    /// <summary>Completes when INIT is over: ready (parked in restore/next) or failed. The template is stopped when it failed.</summary>
    public Task<TemplateReadiness> Ready => _ready.Task;

    /// <summary>Where a fork finds its output pipe, as the template sees the file system.</summary>
    public string ForkPipePath(string environmentId) => _sandboxed ? $"{SandboxLauncher.ForkDirectory}/{environmentId}" : Path.Combine(ForkDirectory, environmentId);

    /// <summary>
    /// INIT. Flow: the code and layers → INIT_START (snap-start) → launch with the fork folder → wait for the first
    /// <c>restore/next</c> (ready), <c>/init/error</c> (a failed import or before-snapshot hook), the process's exit or
    /// <see cref="InitLimit"/> → INIT_REPORT. Never throws; a failed template stops itself.
    /// </summary>
    public async Task StartAsync()
    {
        _started = _services.Time.GetTimestamp();
        string codeDirectory;
        string? layersDirectory;
        try
        {
            Directory.CreateDirectory(ForkDirectory);
            codeDirectory = await _services.CodeCache.GetDirectoryAsync(Spec.CodeSha256Hex, CancellationToken.None);
            layersDirectory = await _services.CodeCache.GetLayersDirectoryAsync(Spec.LayerHashes, CancellationToken.None);
        }
        catch (Exception e)
        {
            LogFailed(_services.Logger, e, Spec.FunctionName, Spec.Version);
            Finish(FunctionErrorTypes.SandboxFailure, [], stop: "no code");
            return;
        }

        _report.InitStart("snap-start");
        try
        {
            var launch = new LaunchRequest(Id, Spec, _runtime, codeDirectory, $"127.0.0.1:{RuntimeApiPort}", _report.StreamName, "snap-start", layersDirectory,
                _services.Credentials.Issue(Spec), ForkDirectory);
            _process.Launch(launch, _report.Output);
        }
        catch (Exception e)
        {
            LogFailed(_services.Logger, e, Spec.FunctionName, Spec.Version);
            Finish(FunctionErrorTypes.SandboxFailure, [], stop: "not started");
            return;
        }

        _ = _process.Exited.ContinueWith(static (exited, state) =>
        {
            var template = (SnapshotTemplate)state!;
            template.Finish(FunctionErrorTypes.RuntimeExitError, ExecutionEnvironment.ErrorDocument(FunctionErrorTypes.RuntimeExitError, $"Error: Runtime exited with error: {exited.Result}"), stop: $"runtime exited ({exited.Result})");
        }, this, TaskScheduler.Default);

        try
        {
            await _ready.Task.WaitAsync(InitLimit(Spec), _services.Time);
        }
        catch (TimeoutException)
        {
            Finish(FunctionErrorTypes.SandboxTimedout, ExecutionEnvironment.ErrorDocument(FunctionErrorTypes.SandboxTimedout, $"Error: INIT phase timed out after {InitLimit(Spec).TotalSeconds:0.00} seconds"), stop: "INIT timed out");
        }
    }

    // ---- the runtime's side

    /// <summary>
    /// The template's <c>GET /restore/next</c>: the first one ends INIT (ready); each completes with the next order.
    /// Null when the template is not (or no longer) ready: the Runtime API then refuses the request.
    /// </summary>
    public async Task<TemplateOrder?> NextOrderAsync(CancellationToken cancellationToken)
    {
        if (!_ready.Task.IsCompleted)
        {
            Finish(null, [], stop: null);
        }

        if (!_ready.Task.Result.Ready || Volatile.Read(ref _stopped) != 0)
        {
            return null;
        }

        try
        {
            return await _orders.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>The template's <c>POST /init/error</c> (Runtime.BeforeSnapshotError, or the import's error): INIT fails. False when INIT is over.</summary>
    public bool PostInitError(string? errorType, byte[] body)
    {
        if (_ready.Task.IsCompleted)
        {
            return false;
        }

        Finish(string.IsNullOrEmpty(errorType) ? FunctionErrorTypes.RuntimeUnknown : errorType, body, stop: $"INIT failed with {errorType}");
        return true;
    }

    // ---- the platform's side

    /// <summary>Queues an order for the template's next <c>restore/next</c>.</summary>
    public void Order(TemplateOrder order) => _orders.Writer.TryWrite(order);

    /// <summary>A fork of this template is being made (its environment counts it until <see cref="ForkEnded"/>).</summary>
    public void ForkStarted()
    {
        Interlocked.Increment(ref _forks);
        Volatile.Write(ref _lastForkAt, _services.Time.GetTimestamp());
    }

    /// <summary>Forks alive now.</summary>
    public int Forks => Volatile.Read(ref _forks);

    /// <summary>When a fork was last made (a <see cref="TimeProvider"/> timestamp; 0: never).</summary>
    public long LastForkAt => Volatile.Read(ref _lastForkAt);

    /// <summary>A fork's environment is gone and its network rule removed.</summary>
    public void ForkEnded()
    {
        if (Interlocked.Decrement(ref _forks) == 0 && Volatile.Read(ref _stopped) != 0)
        {
            ReleasePort();
        }
    }

    private void ReleasePort()
    {
        if (Interlocked.Exchange(ref _portReleased, 1) == 0)
        {
            _releasePort(RuntimeApiPort);
        }
    }

    /// <summary>
    /// The host pid of the template's process <paramref name="namespacePid"/> (a pid as the sandbox numbers it, read from the
    /// NSpid lines of the sandbox's members); the same pid unconfined. Null when no such process is the template's.
    /// </summary>
    public int? HostPid(int namespacePid)
    {
        if (!_sandboxed)
        {
            return IsDescendant(namespacePid, _process.Pid) ? namespacePid : null;
        }

        if (_process.Process is not SandboxedProcess sandbox)
        {
            return null;
        }

        foreach (var member in sandbox.Group.Members())
        {
            try
            {
                // NSpid: the host's number, the sandbox's, then (for a fork's runtime) its own namespace's.
                var nsPid = File.ReadLines($"/proc/{member}/status").FirstOrDefault(l => l.StartsWith("NSpid:", StringComparison.Ordinal));
                var numbers = nsPid?.Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries);
                if (numbers is { Length: >= 3 } && numbers[2] == namespacePid.ToString(CultureInfo.InvariantCulture))
                {
                    return member;
                }
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
        }

        return null;
    }

    /// <summary>Stops the template (its sandbox, and with it every fork still inside its PID namespace) and forgets it. Idempotent.</summary>
    public void Stop(string reason)
    {
        _ready.TrySetResult(new TemplateReadiness(FunctionErrorTypes.SandboxFailure, [], 0));
        _orders.Writer.TryComplete();
        _process.Dispose();
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            LogStopped(_services.Logger, Spec.FunctionName, Spec.Version, reason);
            if (Interlocked.Exchange(ref _countedMemoryMb, -1) is >= 0 and var counted)
            {
                Telemetry.LambdaTelemetry.SnapStartTemplates.Add(-1, Telemetry.LambdaTelemetry.Function(Spec.FunctionName));
                Telemetry.LambdaTelemetry.SnapStartTemplateMemory.Add(-counted, Telemetry.LambdaTelemetry.Function(Spec.FunctionName));
            }

            try
            {
                Directory.Delete(ForkDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Already gone.
            }

            _onStopped(this);
            if (Volatile.Read(ref _forks) == 0)
            {
                ReleasePort();
            }
        }
    }

    /// <summary>INIT is over: INIT_REPORT, and the template is ready or (with an error type) failed and stopped.</summary>
    private void Finish(string? errorType, byte[] body, string? stop)
    {
        var durationMs = _services.Time.GetElapsedTime(_started).TotalMilliseconds;
        if (!_ready.TrySetResult(new TemplateReadiness(errorType, body, durationMs)))
        {
            if (stop is not null && errorType is not null)
            {
                Stop(stop); // exited after INIT: the forks still inside go with it
            }

            return;
        }

        if (errorType is null)
        {
            _report.InitReport(durationMs);
            // Counted in the node's memory figures for as long as the template lives (its forks count their own).
            var memory = _process.MaxMemoryUsedMb();
            Interlocked.Exchange(ref _countedMemoryMb, memory);
            Telemetry.LambdaTelemetry.SnapStartTemplates.Add(1, Telemetry.LambdaTelemetry.Function(Spec.FunctionName));
            Telemetry.LambdaTelemetry.SnapStartTemplateMemory.Add(memory, Telemetry.LambdaTelemetry.Function(Spec.FunctionName));
            return;
        }

        _process.Kill();
        _process.Drain();
        _report.InitFailed(durationMs, errorType);
        Stop(stop ?? "INIT failed");
    }

    /// <summary>Unconfined, a fork is the template's child: its parent pid is the template's.</summary>
    private static bool IsDescendant(int pid, int ancestor)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture) == ancestor;
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 2401, Level = LogLevel.Warning, Message = "SnapStart template of {FunctionName}:{Version} could not be started")]
    private static partial void LogFailed(ILogger logger, Exception exception, string functionName, string version);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Debug, Message = "SnapStart template of {FunctionName}:{Version} stopped: {Reason}")]
    private static partial void LogStopped(ILogger logger, string functionName, string version, string reason);
}

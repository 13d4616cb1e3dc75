using System.Security.Cryptography;
using System.Text;
using LambdaCluster.Runtimes.Catalog;
using LambdaCluster.Runtimes.Invocation;
using LambdaCluster.Runtimes.Logs;
using LambdaCluster.Runtimes.Telemetry;
using LambdaCluster.Runtimes.TelemetryApi;

namespace LambdaCluster.Runtimes.Environments;

/// <summary>
/// What Lambda writes about one environment's phases into its log stream (INIT_START, INIT_REPORT, START, END, REPORT,
/// the timeout and exit lines; <see cref="PlatformLogLines"/> has their formats) with the function's own output in
/// between, the tail of an invocation (kept only when its caller asked for it), and the CloudWatch-style metrics.
/// Output lines may arrive on any thread; the platform lines come from the invocation's own flow.
/// </summary>
internal sealed class InvocationReport
{
    private readonly ILogStore _logs;
    private readonly TimeProvider _time;
    private readonly EnvironmentSpec _spec;
    private readonly RuntimeDescriptor _runtime;
    private readonly KeyValuePair<string, object?> _function;
    private ActiveInvocation? _current;
    private string _initializationType = "on-demand";

    public InvocationReport(ILogStore logs, TimeProvider time, EnvironmentSpec spec, RuntimeDescriptor runtime, string streamName)
    {
        _logs = logs;
        _time = time;
        _spec = spec;
        _runtime = runtime;
        _function = LambdaTelemetry.Function(spec.FunctionName);
        StreamName = streamName;
    }

    /// <summary>The environment's log stream: <c>YYYY/MM/DD/[version]id</c>.</summary>
    public string StreamName { get; }

    /// <summary>Where the same story goes as Telemetry API records, from INIT on (null before, and when nobody may subscribe).</summary>
    public TelemetryHub? Telemetry { get; set; }

    /// <summary>A line the function's process wrote: into the log stream, and into the tail of the invocation running now.</summary>
    public void Output(string line)
    {
        Volatile.Read(ref _current)?.AppendToTail(line);
        Write(line);
        if (Telemetry is { } telemetry && telemetry.Wants(TelemetryCategories.Function))
        {
            telemetry.Publish(TelemetryCategories.Function, PlatformLogRecords.Line(_time.GetUtcNow(), "function", line, _spec.JsonLogs));
        }
    }

    /// <summary>INIT_START (platform.initStart in JSON) for an on-demand or provisioned-concurrency INIT.</summary>
    public void InitStart(string initializationType)
    {
        var arn = $"arn:aws:lambda:{_spec.Region}::runtime:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(_runtime.RuntimeVersion)))}";
        _initializationType = initializationType;
        var record = _spec.JsonLogs || Wanted ? PlatformLogRecords.InitStart(_time.GetUtcNow(), initializationType, _runtime.RuntimeVersion, arn, _spec.FunctionName, _spec.Version) : null;
        WritePlatform(_spec.JsonLogs ? record! : PlatformLogLines.InitStart(_runtime.RuntimeVersion, arn));
        PublishPlatform(record);
    }

    /// <summary>RESTORE_START (platform.restoreStart in JSON): a SnapStart environment is being restored from its version's template.</summary>
    public void RestoreStart()
    {
        var arn = $"arn:aws:lambda:{_spec.Region}::runtime:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(_runtime.RuntimeVersion)))}";
        _initializationType = "snap-start";
        WritePlatform(_spec.JsonLogs
            ? PlatformLogRecords.RestoreStart(_time.GetUtcNow(), _runtime.RuntimeVersion, arn, _spec.FunctionName, _spec.Version)
            : PlatformLogLines.RestoreStart(_runtime.RuntimeVersion, arn));
    }

    /// <summary>RESTORE_REPORT: the restore ended, with a status (timeout or error) and error type when it failed.</summary>
    public void RestoreReport(double restoreDurationMs, string? errorType)
    {
        if (errorType is null)
        {
            LambdaTelemetry.ColdStarts.Add(1, _function);
        }

        var status = errorType is null ? null : errorType == FunctionErrorTypes.SnapStartTimeout ? "timeout" : "error";
        WritePlatform(_spec.JsonLogs
            ? PlatformLogRecords.RestoreReport(_time.GetUtcNow(), restoreDurationMs, status ?? "success", errorType)
            : PlatformLogLines.RestoreReport(restoreDurationMs, status, errorType));
    }

    /// <summary>INIT finished (its duration feeds the init metric; an on-demand INIT's also goes into the first REPORT).</summary>
    public void InitDone(double initDurationMs, bool cold)
    {
        if (Wanted)
        {
            PublishPlatform(PlatformLogRecords.InitReport(_time.GetUtcNow(), _initializationType, initDurationMs, "success", null));
        }

        LambdaTelemetry.InitDuration.Record(initDurationMs, _function);
        if (cold)
        {
            LambdaTelemetry.ColdStarts.Add(1, _function);
        }
    }

    /// <summary>A SnapStart template's INIT succeeded: INIT_REPORT, as Lambda logs a snapshot's INIT at publish time.</summary>
    public void InitReport(double initDurationMs)
    {
        LambdaTelemetry.InitDuration.Record(initDurationMs, _function);
        WritePlatform(_spec.JsonLogs
            ? PlatformLogRecords.InitReport(_time.GetUtcNow(), _initializationType, initDurationMs, "success", null)
            : PlatformLogLines.InitReport(initDurationMs, "success", null));
    }

    /// <summary>INIT failed: INIT_REPORT with its status (timeout or error).</summary>
    public void InitFailed(double initDurationMs, string errorType)
    {
        LambdaTelemetry.InitDuration.Record(initDurationMs, _function);
        var status = errorType == FunctionErrorTypes.SandboxTimedout ? "timeout" : "error";
        var record = _spec.JsonLogs || Wanted ? PlatformLogRecords.InitReport(_time.GetUtcNow(), _initializationType, initDurationMs, status, errorType) : null;
        PublishPlatform(record);

        WritePlatform(_spec.JsonLogs ? record! : PlatformLogLines.InitReport(initDurationMs, status, errorType));
    }

    /// <summary>
    /// platform.initRuntimeDone (Telemetry API only): the runtime's part of INIT ended, before the extensions' states and
    /// platform.initReport, in the order the Runtime Interface Emulator sends them (rapid/handlers.go).
    /// </summary>
    public void InitRuntimeDone(string? errorType)
    {
        if (Wanted)
        {
            var status = errorType is null ? "success" : errorType == FunctionErrorTypes.SandboxTimedout ? "timeout" : "error";
            PublishPlatform(PlatformLogRecords.InitRuntimeDone(_time.GetUtcNow(), _initializationType, status, errorType));
        }
    }

    /// <summary>EXTENSION lines (platform.extension records in JSON) at the end of INIT: each extension's name, state and events.</summary>
    /// <remarks>TELEMETRY and LOGS lines come first, for the extensions that subscribed to the Telemetry or Logs API.</remarks>
    public void Extensions(IReadOnlyList<(string Name, Extensions.ExtensionState State, IReadOnlyList<string> Events)> extensions)
    {
        if (!_spec.JsonLogs && Telemetry is { } telemetry)
        {
            foreach (var (name, logsApi, types) in telemetry.Subscriptions())
            {
                WritePlatform(PlatformLogLines.Subscription(logsApi ? "LOGS" : "TELEMETRY", name, types));
            }
        }

        foreach (var (name, state, events) in extensions)
        {
            var record = PlatformLogRecords.Extension(_time.GetUtcNow(), name, state.ToString(), events);
            WritePlatform(_spec.JsonLogs ? record : PlatformLogLines.Extension(name, state.ToString(), events));
            PublishPlatform(record);
        }
    }

    /// <summary>START: the invocation is now the one whose tail collects output.</summary>
    public void Start(ActiveInvocation invocation)
    {
        LambdaTelemetry.ConcurrentExecutions.Add(1, _function);
        Volatile.Write(ref _current, invocation);
        var record = _spec.JsonLogs || Wanted ? PlatformLogRecords.Start(_time.GetUtcNow(), invocation.RequestId, _spec.Version) : null;
        if (WritePlatform(_spec.JsonLogs ? record! : PlatformLogLines.Start(invocation.RequestId, _spec.Version)) is { } start)
        {
            invocation.AppendToTail(start);
        }

        PublishPlatform(record);
    }

    /// <summary>The line Lambda writes when the function's timeout passes.</summary>
    /// <remarks>With JSON logs the timeout is platform.report's status instead.</remarks>
    public void TimedOut(ActiveInvocation invocation)
    {
        if (!_spec.JsonLogs)
        {
            invocation.AppendToTail(Write(PlatformLogLines.TaskTimedOut(_time.GetUtcNow(), invocation.RequestId, _spec.Timeout)));
        }
    }

    /// <summary>The line Lambda writes when the runtime process ends during an invocation.</summary>
    /// <remarks>With JSON logs the exit is platform.report's status and error type instead.</remarks>
    public void Exited(ActiveInvocation invocation, string how)
    {
        if (!_spec.JsonLogs)
        {
            invocation.AppendToTail(Write($"RequestId: {invocation.RequestId} Error: Runtime exited with error: {how}\rRuntime.ExitError"));
        }
    }

    /// <summary>END and REPORT (with the status and error type of a failed invocation); the invocation's tail, when it asked for one.</summary>
    /// <remarks><paramref name="restored"/>: the first invocation of a SnapStart environment, whose cold start is a restore (Restore Duration).</remarks>
    public string? End(ActiveInvocation invocation, double durationMs, int maxMemoryUsedMb, double? initDurationMs, string? status, string? errorType, bool functionError, bool restored = false)
    {
        Volatile.Write(ref _current, null);
        if (Wanted)
        {
            PublishPlatform(PlatformLogRecords.Report(_time.GetUtcNow(), invocation.RequestId, durationMs, _spec.MemorySize, maxMemoryUsedMb, restored ? null : initDurationMs,
                status ?? (errorType is null ? null : "error"), errorType, restored ? initDurationMs : null));
        }

        LambdaTelemetry.ConcurrentExecutions.Add(-1, _function);
        LambdaTelemetry.Invocations.Add(1, _function);
        LambdaTelemetry.Duration.Record(durationMs, _function);
        if (functionError)
        {
            LambdaTelemetry.Errors.Add(1, _function);
        }

        var at = _time.GetUtcNow();
        var now = at.ToUnixTimeMilliseconds();
        if (_spec.JsonLogs)
        {
            // JSON: no END line; platform.report carries the invocation's status (timeout and exit included).
            if (SystemRecordsLogged)
            {
                var record = PlatformLogRecords.Report(at, invocation.RequestId, durationMs, _spec.MemorySize, maxMemoryUsedMb, restored ? null : initDurationMs,
                    status ?? (errorType is null ? null : "error"), errorType, restored ? initDurationMs : null);
                _logs.Append(_spec.LogGroup, StreamName, [new LogEvent(now, record, now)]);
                invocation.AppendToTail(record);
            }

            return invocation.TailBase64();
        }

        var end = PlatformLogLines.End(invocation.RequestId);
        var report = PlatformLogLines.Report(invocation.RequestId, durationMs, _spec.MemorySize, maxMemoryUsedMb, restored ? null : initDurationMs, status, errorType, restored ? initDurationMs : null);
        _logs.Append(_spec.LogGroup, StreamName, [new LogEvent(now, end, now), new LogEvent(now, report, now)]);
        invocation.AppendToTail(end);
        invocation.AppendToTail(report);
        return invocation.TailBase64();
    }

    /// <summary>
    /// platform.runtimeDone (Telemetry API only): the runtime is done with the invocation (it answered, or timed out, or
    /// ended), sent then, before the extensions finish: telemetry extensions wait for it before they ask for their next event.
    /// </summary>
    public void RuntimeDone(ActiveInvocation invocation, string status, string? errorType, double durationMs, long producedBytes)
    {
        if (Wanted)
        {
            PublishPlatform(PlatformLogRecords.RuntimeDone(_time.GetUtcNow(), invocation.RequestId, status, errorType, durationMs, producedBytes));
        }
    }

    /// <summary>An invocation that ended without END and REPORT (an unexpected fault): it no longer counts as running.</summary>
    public void Abort(ActiveInvocation invocation)
    {
        if (ReferenceEquals(Interlocked.CompareExchange(ref _current, null, invocation), invocation))
        {
            LambdaTelemetry.ConcurrentExecutions.Add(-1, _function);
        }
    }

    /// <summary>True when platform records would reach a Telemetry API subscriber.</summary>
    public bool PlatformTelemetryWanted => Wanted;

    private bool Wanted => Telemetry is { } telemetry && telemetry.Wants(TelemetryCategories.Platform);

    private void PublishPlatform(string? record)
    {
        if (record is not null && Telemetry is { } telemetry && telemetry.Wants(TelemetryCategories.Platform))
        {
            telemetry.Publish(TelemetryCategories.Platform, record);
        }
    }

    /// <summary>The platform's records are INFO: a SystemLogLevel of WARN drops them (JSON logs only; text lines are always written).</summary>
    private bool SystemRecordsLogged => !_spec.JsonLogs || _spec.SystemLogLevel is null or "DEBUG" or "INFO";

    /// <summary>A platform line or record, unless the SystemLogLevel drops it (null then).</summary>
    private string? WritePlatform(string line) => SystemRecordsLogged ? Write(line) : null;

    private string Write(string line)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        _logs.Append(_spec.LogGroup, StreamName, [new LogEvent(now, line, now)]);
        return line;
    }
}

using System.Text;
using System.Threading.Channels;
using LambdaCluster.Runtimes.Catalog;
using LambdaCluster.Runtimes.Invocation;
using LambdaCluster.Runtimes.Launch;
using LambdaCluster.Runtimes.Logs;
using LambdaCluster.Runtimes.Telemetry;
using Microsoft.Extensions.Logging;

namespace LambdaCluster.Runtimes.Environments;

/// <summary>
/// One execution environment on this node: its process tree, its Runtime API endpoint and its log
/// stream, handling one invocation at a time. The grain side calls <see cref="InvokeAsync"/>; the
/// runtime side (the Runtime API server) calls <see cref="TryNext"/> and the Post methods. The long
/// poll is the hand-off: <c>/next</c> waits on a one-slot channel that an invocation writes into, and
/// the invocation waits on a completion that <c>/response</c> or <c>/error</c> sets.
/// </summary>
public sealed partial class ExecutionEnvironment
{
    /// <summary>Lambda's buffered response limit (6 MB plus 100 bytes of slack, as the Runtime API has it).</summary>
    public const int MaxResponseBytes = 6 * 1024 * 1024 + 100;

    private readonly EnvironmentServices _services;
    private readonly RuntimeDescriptor _runtime;
    private readonly Action<ExecutionEnvironment> _onDead;
    private readonly Lock _gate = new();
    private readonly EnvironmentLifecycle _lifecycle = new();
    private readonly Channel<RuntimeEvent> _events = Channel.CreateBounded<RuntimeEvent>(1);
    private readonly TaskCompletionSource<(string ErrorType, byte[] Body)?> _init = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IEnvironmentProcess? _process;
    private ActiveInvocation? _current;
    private double? _pendingInitDurationMs;
    private string _initializationType = "on-demand";
    private long _idleSinceTimestamp;

    public ExecutionEnvironment(string id, EnvironmentSpec spec, RuntimeDescriptor runtime, int runtimeApiPort, EnvironmentServices services, Action<ExecutionEnvironment> onDead)
    {
        Id = id;
        Spec = spec;
        RuntimeApiPort = runtimeApiPort;
        _runtime = runtime;
        _services = services;
        _onDead = onDead;
        LogStreamName = PlatformLogLines.StreamName(services.Time.GetUtcNow(), spec.Version, id);
    }

    public string Id { get; }

    public EnvironmentSpec Spec { get; }

    public int RuntimeApiPort { get; }

    public string LogStreamName { get; }

    /// <summary>Process id of the runtime, once launched (0 before).</summary>
    public int ProcessId => _process?.Pid ?? 0;

    /// <summary>True once this environment was initialised ahead of traffic (provisioned concurrency).</summary>
    public bool Provisioned => _initializationType == "provisioned-concurrency";

    /// <summary>How long the environment has been idle, or zero while it is starting or busy.</summary>
    public TimeSpan IdleFor
    {
        get
        {
            lock (_gate)
            {
                return _lifecycle.State is EnvironmentState.Idle && _current is null && _idleSinceTimestamp != 0
                    ? _services.Time.GetElapsedTime(_idleSinceTimestamp)
                    : TimeSpan.Zero;
            }
        }
    }

    public EnvironmentState State
    {
        get
        {
            lock (_gate)
            {
                return _lifecycle.State;
            }
        }
    }

    /// <summary>
    /// Runs one invocation. Flow: claim the environment → (cold) launch and INIT until the runtime first
    /// asks for an event → START → hand the event to the parked <c>/next</c> → wait for the first of
    /// <c>/response</c>, <c>/error</c>, process exit, deadline → drain output → END, REPORT → result.
    /// A function error keeps the environment warm; a failed INIT, a crash or a timeout destroys it
    /// (the result says it is not reusable). Throws <see cref="EnvironmentUnavailableException"/> only
    /// when the environment was already gone, before anything ran. With a <paramref name="stream"/> the response goes
    /// there as the runtime streams it (the result then carries only how it ended), and cancelling
    /// <paramref name="cancellationToken"/> means the caller went away: the invocation is abandoned and the
    /// environment destroyed, which stops the function.
    /// </summary>
    public async Task<InvocationResult> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken, ChannelWriter<ResponseStreamPart>? stream = null)
    {
        var invocation = new ActiveInvocation(request, stream);
        bool cold;
        lock (_gate)
        {
            if (_lifecycle.State is EnvironmentState.Dead)
            {
                throw new EnvironmentUnavailableException($"Environment {Id} is no longer running.");
            }

            if (_current is not null || _lifecycle.State is EnvironmentState.Invoking or EnvironmentState.Initializing)
            {
                throw new InvalidOperationException($"Environment {Id} is already handling an invocation.");
            }

            cold = _lifecycle.State is EnvironmentState.Created;
            _current = invocation;
        }

        var function = LambdaTelemetry.Function(Spec.FunctionName);
        using var activity = LambdaTelemetry.Source.StartActivity("Environment Invoke");
        activity?.SetTag("faas.name", Spec.FunctionName);
        activity?.SetTag("faas.invocation_id", request.RequestId);
        activity?.SetTag("faas.coldstart", cold);
        LambdaTelemetry.ConcurrentExecutions.Add(1, function);
        try
        {
            if (cold)
            {
                LambdaTelemetry.ColdStarts.Add(1, function);
                var failure = await InitializeAsync(request.RequestId, cancellationToken);
                LambdaTelemetry.InitDuration.Record(failure?.InitDurationMs ?? _pendingInitDurationMs ?? 0, function);
                if (failure is not null)
                {
                    return FinishFailedInit(invocation, failure.Value.ErrorType, failure.Value.Body, failure.Value.InitDurationMs);
                }
            }

            return await RunAsync(invocation, cancellationToken);
        }
        finally
        {
            LambdaTelemetry.ConcurrentExecutions.Add(-1, function);
        }
    }

    /// <summary>
    /// Provisioned concurrency: runs INIT ahead of traffic with <c>AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency</c>,
    /// so that the first invocation finds the runtime waiting (no Init Duration in its REPORT). False when INIT
    /// failed; the environment is then gone and its INIT_REPORT says why.
    /// </summary>
    public async Task<bool> PrepareAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_lifecycle.State is not EnvironmentState.Created || _current is not null)
            {
                return _lifecycle.State is EnvironmentState.Idle or EnvironmentState.Invoking;
            }

            _initializationType = "provisioned-concurrency";
        }

        var failure = await InitializeAsync(requestId: Id, cancellationToken);
        if (failure is not null)
        {
            _process?.Kill();
            _process?.DrainOutput();
            WriteLog(PlatformLogLines.InitReport(failure.Value.InitDurationMs, failure.Value.ErrorType == FunctionErrorTypes.SandboxTimedout ? "timeout" : "error", failure.Value.ErrorType));
            Shutdown($"provisioned INIT failed with {failure.Value.ErrorType}");
            return false;
        }

        LambdaTelemetry.InitDuration.Record(_pendingInitDurationMs ?? 0, LambdaTelemetry.Function(Spec.FunctionName));
        _pendingInitDurationMs = null;
        MarkIdle();
        return true;
    }

    /// <summary>
    /// The runtime's <c>GET /next</c>: the first call ends INIT. Returns null when the environment is not in a
    /// state that allows it (Lambda answers 403 InvalidStateTransition).
    /// </summary>
    public ValueTask<RuntimeEvent>? TryNext(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            switch (_lifecycle.State)
            {
                case EnvironmentState.Initializing:
                    _lifecycle.TryMoveTo(EnvironmentState.Idle);
                    _init.TrySetResult(null);
                    break;
                case EnvironmentState.Invoking when _current is { Delivered: true }:
                    // Asking for the next event before answering the one it already has.
                    return null;
                case EnvironmentState.Dead:
                    return null;
            }
        }

        // The event counts as delivered when the runtime receives it, not when it is queued: a runtime that
        // answered its last event may ask for the next one after the platform has already queued it.
        var read = _events.Reader.ReadAsync(cancellationToken);
        if (read.IsCompletedSuccessfully)
        {
            // A ValueTask is consumed once: hand on the value, not the (possibly pooled) task.
            var ready = read.Result;
            MarkDelivered(ready);
            return new ValueTask<RuntimeEvent>(ready);
        }

        return ReadAndMarkAsync(read);
    }

    private async ValueTask<RuntimeEvent> ReadAndMarkAsync(ValueTask<RuntimeEvent> read)
    {
        var runtimeEvent = await read;
        MarkDelivered(runtimeEvent);
        return runtimeEvent;
    }

    private void MarkDelivered(RuntimeEvent runtimeEvent)
    {
        lock (_gate)
        {
            if (_current is { } current && current.Request.RequestId == runtimeEvent.RequestId)
            {
                current.Delivered = true;
            }
        }
    }

    public RuntimePostOutcome PostResponse(string requestId, byte[] body, string? contentType) =>
        Complete(requestId, new RuntimeOutcome.Response(body, string.IsNullOrEmpty(contentType) ? "application/json" : contentType));

    public RuntimePostOutcome PostResponseTooLarge(string requestId, long size) =>
        Complete(requestId, new RuntimeOutcome.ResponseTooLarge(size, MaxResponseBytes));

    /// <summary>
    /// The runtime's <c>/response</c> in streaming mode: the body that follows is written to the returned stream as it
    /// arrives. Refused like any other response for an id that is not the one in flight.
    /// </summary>
    public RuntimePostOutcome BeginStreamedResponse(string requestId, string? contentType, out StreamedResponse? response)
    {
        response = null;
        lock (_gate)
        {
            if (_current is not { Delivered: true, Responding: false } current || current.Request.RequestId != requestId || current.Outcome.Task.IsCompleted)
            {
                return RuntimePostOutcome.InvalidRequestId;
            }

            if (_lifecycle.State is not EnvironmentState.Invoking)
            {
                return RuntimePostOutcome.InvalidStateTransition;
            }

            current.Responding = true;
            response = new StreamedResponse(this, current, string.IsNullOrEmpty(contentType) ? "application/octet-stream" : contentType);
            return RuntimePostOutcome.Accepted;
        }
    }

    /// <summary>A streamed response ended (or went over its limit): the invocation's outcome, unless it already ended.</summary>
    internal RuntimePostOutcome CompleteStreamed(ActiveInvocation invocation, RuntimeOutcome outcome)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_current, invocation) || invocation.Outcome.Task.IsCompleted || !_lifecycle.TryMoveTo(EnvironmentState.Idle))
            {
                return RuntimePostOutcome.InvalidRequestId;
            }

            invocation.End(outcome);
            return outcome is RuntimeOutcome.ResponseTooLarge ? RuntimePostOutcome.PayloadTooLarge : RuntimePostOutcome.Accepted;
        }
    }

    public RuntimePostOutcome PostError(string requestId, string? errorType, byte[] body) =>
        Complete(requestId, new RuntimeOutcome.FunctionError(NormaliseErrorType(errorType), body));

    /// <summary>The runtime's <c>POST /runtime/init/error</c>.</summary>
    public RuntimePostOutcome PostInitError(string? errorType, byte[] body)
    {
        lock (_gate)
        {
            if (_lifecycle.State is not EnvironmentState.Initializing)
            {
                return RuntimePostOutcome.InvalidStateTransition;
            }
        }

        _init.TrySetResult((NormaliseErrorType(errorType), body));
        return RuntimePostOutcome.Accepted;
    }

    /// <summary>Stops the process tree and forgets the environment. Idempotent; <paramref name="reason"/> is for the node's log.</summary>
    public void Shutdown(string reason)
    {
        IEnvironmentProcess? process;
        lock (_gate)
        {
            if (!_lifecycle.TryMoveTo(EnvironmentState.Dead))
            {
                return;
            }

            process = _process;
            _current?.End(new RuntimeOutcome.Exited("signal: killed"));
        }

        LogShutdown(_services.Logger, Id, Spec.FunctionName, reason);
        _init.TrySetResult(("Runtime.ExitError", []));
        _events.Writer.TryComplete();
        process?.Dispose();
        _onDead(this);
    }

    private async Task<(string ErrorType, byte[] Body, double InitDurationMs)?> InitializeAsync(string requestId, CancellationToken cancellationToken)
    {
        var time = _services.Time;
        lock (_gate)
        {
            _lifecycle.TryMoveTo(EnvironmentState.Initializing);
        }

        // Starting processes is CPU-bound: a burst of cold starts queues here rather than thrashing the node,
        // and the queue time is not part of Init Duration.
        await _services.InitGate.WaitAsync(cancellationToken);
        try
        {
            return await InitializeProcessAsync(requestId, time, cancellationToken);
        }
        finally
        {
            _services.InitGate.Release();
        }
    }

    private async Task<(string ErrorType, byte[] Body, double InitDurationMs)?> InitializeProcessAsync(string requestId, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        double Elapsed() => time.GetElapsedTime(started).TotalMilliseconds;

        var codeDirectory = await _services.CodeCache.GetDirectoryAsync(Spec.CodeSha256Hex, cancellationToken);
        var layersDirectory = await _services.CodeCache.GetLayersDirectoryAsync(Spec.LayerHashes, cancellationToken);
        if (_runtime.Family == RuntimeFamily.Provided && BootstrapProblem(codeDirectory) is { } problem)
        {
            return (FunctionErrorTypes.RuntimeInvalidEntrypoint, ErrorDocument(FunctionErrorTypes.RuntimeInvalidEntrypoint, $"RequestId: {requestId} Error: {problem}"), Elapsed());
        }

        WriteLog(PlatformLogLines.InitStart(_runtime.RuntimeVersion, RuntimeVersionArn()));
        var launch = new LaunchRequest(Id, Spec, _runtime, codeDirectory, $"127.0.0.1:{RuntimeApiPort}", LogStreamName, _initializationType, layersDirectory);
        var process = _services.Launcher.Launch(launch, WriteLog);
        lock (_gate)
        {
            _process = process;
        }

        _ = process.Exited.ContinueWith(exited => OnProcessExited(exited.Result), TaskScheduler.Default);

        using var initTimeout = new CancellationTokenSource(_services.Options.InitTimeout, time);
        var timedOut = Task.Delay(Timeout.InfiniteTimeSpan, initTimeout.Token);
        var first = await Task.WhenAny(_init.Task, process.Exited, timedOut);
        if (first == _init.Task && _init.Task.Result is null)
        {
            _pendingInitDurationMs = Elapsed();
            return null;
        }

        var initDuration = Elapsed();
        if (first == _init.Task && _init.Task.Result is { } initError)
        {
            return (initError.ErrorType, initError.Body, initDuration);
        }

        if (first == process.Exited)
        {
            var how = process.Exited.Result;
            return (FunctionErrorTypes.RuntimeExitError, ErrorDocument(FunctionErrorTypes.RuntimeExitError, $"RequestId: {requestId} Error: Runtime exited with error: {how}"), initDuration);
        }

        return (FunctionErrorTypes.SandboxTimedout, ErrorDocument(FunctionErrorTypes.SandboxTimedout, $"RequestId: {requestId} Error: INIT phase timed out after {_services.Options.InitTimeout.TotalSeconds:0.00} seconds"), initDuration);
    }

    private async Task<InvocationResult> RunAsync(ActiveInvocation invocation, CancellationToken cancellationToken)
    {
        var request = invocation.Request;
        var time = _services.Time;
        WriteLog(PlatformLogLines.Start(request.RequestId, Spec.Version));
        var started = time.GetTimestamp();
        var deadline = time.GetUtcNow().AddSeconds(Spec.Timeout);
        lock (_gate)
        {
            if (!_lifecycle.TryMoveTo(EnvironmentState.Invoking))
            {
                _current = null;
                throw new EnvironmentUnavailableException($"Environment {Id} is no longer running.");
            }
        }

        var runtimeEvent = new RuntimeEvent(request.RequestId, request.Payload, deadline.ToUnixTimeMilliseconds(), request.InvokedFunctionArn, request.TraceId, request.ClientContext);
        _events.Writer.TryWrite(runtimeEvent);

        RuntimeOutcome outcome;
        try
        {
            outcome = await invocation.Outcome.Task.WaitAsync(TimeSpan.FromSeconds(Spec.Timeout), time, cancellationToken);
        }
        catch (TimeoutException)
        {
            outcome = new RuntimeOutcome.TimedOut();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = new RuntimeOutcome.Abandoned();
        }

        lock (_gate)
        {
            // However it ended, a response still streaming in stops here (a timeout or a caller gone ends it first).
            invocation.End(outcome);
        }

        var durationMs = time.GetElapsedTime(started).TotalMilliseconds;
        _process?.DrainOutput();
        return Finish(invocation, outcome, durationMs);
    }

    private InvocationResult Finish(ActiveInvocation invocation, RuntimeOutcome outcome, double durationMs)
    {
        var requestId = invocation.Request.RequestId;
        var (payload, functionError, status, errorType, reusable) = outcome switch
        {
            RuntimeOutcome.Response r => (r.Body, (string?)null, (string?)null, (string?)null, true),
            RuntimeOutcome.FunctionError e => (e.Body, FunctionErrorTypes.Unhandled, null, null, true),
            RuntimeOutcome.ResponseTooLarge t => (ErrorDocument(FunctionErrorTypes.ResponseSizeTooLarge, $"Response payload size ({t.Size} bytes) exceeded maximum allowed payload size ({t.Limit} bytes)."), FunctionErrorTypes.Unhandled, null, null, true),
            RuntimeOutcome.Abandoned => ([], (string?)null, (string?)null, (string?)null, false),
            RuntimeOutcome.Exited x => (ErrorDocument(FunctionErrorTypes.RuntimeExitError, $"RequestId: {requestId} Error: Runtime exited with error: {x.How}"), FunctionErrorTypes.Unhandled, "error", FunctionErrorTypes.RuntimeExitError, false),
            _ => (ErrorDocument(FunctionErrorTypes.SandboxTimedout, $"RequestId: {requestId} Error: Task timed out after {Spec.Timeout:0.00} seconds"), FunctionErrorTypes.Unhandled, "timeout", (string?)null, false),
        };

        if (outcome is RuntimeOutcome.TimedOut)
        {
            WriteLog(PlatformLogLines.TaskTimedOut(_services.Time.GetUtcNow(), requestId, Spec.Timeout));
        }

        if (outcome is RuntimeOutcome.Exited exited)
        {
            WriteLog($"RequestId: {requestId} Error: Runtime exited with error: {exited.How}\nRuntime.ExitError".Replace('\n', '\r'));
        }

        var memory = _process?.MaxMemoryUsedMb() ?? 0;
        if (!reusable)
        {
            // Stop the process before REPORT so that nothing it still prints lands after the invocation's last line.
            _process?.Kill();
        }

        var initDuration = _pendingInitDurationMs;
        _pendingInitDurationMs = null;
        var function = LambdaTelemetry.Function(Spec.FunctionName);
        LambdaTelemetry.Invocations.Add(1, function);
        LambdaTelemetry.Duration.Record(durationMs, function);
        if (functionError is not null)
        {
            LambdaTelemetry.Errors.Add(1, function);
        }

        WriteLog(PlatformLogLines.End(requestId));
        WriteLog(PlatformLogLines.Report(requestId, durationMs, Spec.MemorySize, memory, initDuration, status, errorType));
        var tail = invocation.Request.WantsLogTail ? invocation.TailBase64() : null;
        lock (_gate)
        {
            _current = null;
            _idleSinceTimestamp = _services.Time.GetTimestamp();
        }

        if (!reusable)
        {
            Shutdown(outcome switch
            {
                RuntimeOutcome.TimedOut => "invocation timed out",
                RuntimeOutcome.Abandoned => "the streaming caller went away",
                _ => "runtime exited during invocation",
            });
        }

        return new InvocationResult
        {
            Payload = payload,
            FunctionError = functionError,
            LogTail = tail,
            ExecutedVersion = Spec.Version,
            EnvironmentReusable = reusable,
            ContentType = outcome is RuntimeOutcome.Response { } response && invocation.Stream is not null ? response.ContentType : "application/json",
            Streamed = invocation.Responding,
        };
    }

    private InvocationResult FinishFailedInit(ActiveInvocation invocation, string errorType, byte[] body, double initDurationMs)
    {
        var requestId = invocation.Request.RequestId;
        LambdaTelemetry.Invocations.Add(1, LambdaTelemetry.Function(Spec.FunctionName));
        LambdaTelemetry.Errors.Add(1, LambdaTelemetry.Function(Spec.FunctionName));
        _process?.Kill();
        _process?.DrainOutput();
        WriteLog(PlatformLogLines.InitReport(initDurationMs, errorType == FunctionErrorTypes.SandboxTimedout ? "timeout" : "error", errorType));
        WriteLog(PlatformLogLines.Start(requestId, Spec.Version));
        WriteLog(PlatformLogLines.End(requestId));
        WriteLog(PlatformLogLines.Report(requestId, 0, Spec.MemorySize, _process?.MaxMemoryUsedMb() ?? 0, null, "error", errorType));
        var tail = invocation.Request.WantsLogTail ? invocation.TailBase64() : null;
        lock (_gate)
        {
            _current = null;
        }

        Shutdown($"INIT failed with {errorType}");
        return new InvocationResult
        {
            Payload = body.Length > 0 ? body : ErrorDocument(errorType, $"RequestId: {requestId} Error: Runtime failed to initialize"),
            FunctionError = FunctionErrorTypes.Unhandled,
            LogTail = tail,
            ExecutedVersion = Spec.Version,
            EnvironmentReusable = false,
        };
    }

    private void MarkIdle()
    {
        lock (_gate)
        {
            _idleSinceTimestamp = _services.Time.GetTimestamp();
        }
    }

    private RuntimePostOutcome Complete(string requestId, RuntimeOutcome outcome)
    {
        lock (_gate)
        {
            if (_current is not { Delivered: true } current || current.Request.RequestId != requestId || current.Outcome.Task.IsCompleted)
            {
                return RuntimePostOutcome.InvalidRequestId;
            }

            if (current.Responding || !_lifecycle.TryMoveTo(EnvironmentState.Idle))
            {
                // A response is already streaming for this id.
                return RuntimePostOutcome.InvalidStateTransition;
            }

            current.End(outcome);
            return outcome is RuntimeOutcome.ResponseTooLarge ? RuntimePostOutcome.PayloadTooLarge : RuntimePostOutcome.Accepted;
        }
    }

    private void OnProcessExited(string how)
    {
        bool idle;
        lock (_gate)
        {
            _current?.End(new RuntimeOutcome.Exited(how));
            idle = _lifecycle.State is EnvironmentState.Idle && _current is null;
        }

        if (idle)
        {
            Shutdown($"runtime exited while idle ({how})");
        }
    }

    /// <summary>One line of the function's log: into the log stream, and into the tail of the running invocation.</summary>
    private void WriteLog(string line)
    {
        var now = _services.Time.GetUtcNow().ToUnixTimeMilliseconds();
        lock (_gate)
        {
            _current?.AppendLogLine(line);
        }

        _services.Logs.Append(Spec.LogGroup, LogStreamName, [new LogEvent(now, line, now)]);
    }

    private string RuntimeVersionArn()
    {
        var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(_runtime.RuntimeVersion)));
        return $"arn:aws:lambda:{Spec.Region}::runtime:{digest}";
    }

    private static string? BootstrapProblem(string codeDirectory)
    {
        var bootstrap = Path.Combine(codeDirectory, "bootstrap");
        if (!File.Exists(bootstrap))
        {
            return "Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]";
        }

        return (File.GetUnixFileMode(bootstrap) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0
            ? "fork/exec /var/task/bootstrap: permission denied"
            : null;
    }

    /// <summary>The runtime's error-type header, or Runtime.Unknown when it sent none (as the native runtime clients do).</summary>
    internal static string NormaliseErrorType(string? errorType)
    {
        return string.IsNullOrEmpty(errorType) ? FunctionErrorTypes.RuntimeUnknown : errorType;
    }

    internal static byte[] ErrorDocument(string errorType, string errorMessage) =>
        System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new ErrorDocumentBody(errorType, errorMessage), RuntimeJsonContext.Default.ErrorDocumentBody);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Environment {EnvironmentId} of {FunctionName} shut down: {Reason}")]
    private static partial void LogShutdown(ILogger logger, string environmentId, string functionName, string reason);
}

using System.Threading.Channels;
using LambdaCluster.Runtimes.Catalog;
using LambdaCluster.Runtimes.Extensions;
using LambdaCluster.Runtimes.Images;
using LambdaCluster.Runtimes.Invocation;
using LambdaCluster.Runtimes.Launch;
using LambdaCluster.Runtimes.Logs;
using LambdaCluster.Runtimes.Prestart;
using LambdaCluster.Runtimes.Snapshots;
using LambdaCluster.Runtimes.TelemetryApi;
using Microsoft.Extensions.Logging;

namespace LambdaCluster.Runtimes.Environments;

/// <summary>
/// One execution environment on this node, handling one invocation at a time. It composes four parts: the
/// <see cref="RuntimeApiSession"/> (the state machine, the <c>/next</c> hand-off and the completions), the
/// <see cref="ProcessHost"/> (the process tree over <see cref="IEnvironmentLauncher"/>), the
/// <see cref="InvocationReport"/> (log lines, tail, metrics), and this class, which runs an invocation through them.
/// Nothing here throws to its caller: every way an invocation can end, an exception included, is an
/// <see cref="InvocationOutcome"/>, and an environment that ended badly is stopped and forgotten by its node.
/// </summary>
public sealed partial class ExecutionEnvironment
{
    /// <summary>Lambda's limit on a SnapStart restore, after-restore hooks included (SnapStartTimeoutException beyond it).</summary>
    public static readonly TimeSpan RestoreLimit = TimeSpan.FromSeconds(10);

    /// <summary>Lambda's SHUTDOWN phase budget with external extensions registered for SHUTDOWN (the Lambda guide's runtimes-extensions-api).</summary>
    public static readonly TimeSpan ShutdownBudget = TimeSpan.FromSeconds(2);

    /// <summary>Lambda's buffered response limit (6 MB plus 100 bytes of slack, as the Runtime API has it).</summary>
    public const int MaxResponseBytes = 6 * 1024 * 1024 + 100;

    private readonly EnvironmentServices _services;
    private readonly RuntimeDescriptor _runtime;
    private readonly Action<ExecutionEnvironment> _onStopped;
    private readonly RuntimeApiSession _session = new();
    private readonly ProcessHost _process;
    private readonly InvocationReport _report;
    private readonly TaskCompletionSource _initEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SnapshotTemplates? _snapshots;
    private ForkedProcess? _fork;
    private SnapshotTemplate? _template;
    private PrestartedProcess? _prestarted;
    private ImageLease? _image; // the container image this environment shows as /, kept on the node while it lives
    private bool _restored;
    private ActiveInvocation? _claim;

    /// <summary>Why the platform stopped this environment (<see cref="Shutdown"/>), or null: what was running then did not fail by itself.</summary>
    private string? _stoppedBy;
    private double? _pendingInitDurationMs;
    private long _idleSince;
    private int _stopped;
    private int _prewarmChargeMb;
    private string _initRequestId = "";
    private ExtensionsSession? _extensions;
    private Task _postInvoke = Task.CompletedTask;
    private ActiveInvocation? _draining;
    private TelemetryHub? _telemetry;
    private int _shutdownPhase;
    private bool _initRuntimeDoneSent;

    /// <param name="snapshots">The node's SnapStart templates: a SnapStart version's environment is forked from its template instead of running INIT (null: never).</param>
    public ExecutionEnvironment(string id, EnvironmentSpec spec, RuntimeDescriptor runtime, int runtimeApiPort, EnvironmentServices services, Action<ExecutionEnvironment> onStopped, SnapshotTemplates? snapshots = null)
        : this(id, spec, runtime, runtimeApiPort, services, onStopped, snapshots, prestarted: null)
    {
    }

    /// <param name="prestarted">A runtime started ahead of its function, listening on <paramref name="runtimeApiPort"/>, that INIT gives this function to (null: INIT starts one).</param>
    internal ExecutionEnvironment(string id, EnvironmentSpec spec, RuntimeDescriptor runtime, int runtimeApiPort, EnvironmentServices services, Action<ExecutionEnvironment> onStopped,
        SnapshotTemplates? snapshots, PrestartedProcess? prestarted)
    {
        _snapshots = snapshots;
        _prestarted = prestarted;
        Id = id;
        Spec = spec;
        RuntimeApiPort = runtimeApiPort;
        _runtime = runtime;
        _services = services;
        _onStopped = onStopped;
        _process = new ProcessHost(services.Launcher);
        _report = new InvocationReport(services.Logs, services.Time, spec, runtime, PlatformLogLines.StreamName(services.Time.GetUtcNow(), spec.Version, id));
    }

    public string Id { get; }

    public EnvironmentSpec Spec { get; }

    public int RuntimeApiPort { get; }

    public string LogStreamName => _report.StreamName;

    /// <summary>Process id of the runtime, once launched (0 before).</summary>
    public int ProcessId => _process.Pid;

    /// <summary>
    /// Completes when INIT has ended (the runtime is waiting for its first event, or INIT failed) or the environment
    /// stopped before it: from then on it no longer takes one of the node's INIT slots (<see cref="Hosting.EnvironmentOptions.MaxConcurrentInits"/>).
    /// </summary>
    public Task InitEnded => _initEnded.Task;

    /// <summary>True once this environment was initialised ahead of traffic (provisioned concurrency).</summary>
    public bool Provisioned { get; private set; }

    public EnvironmentState State => _session.State;

    /// <summary>How long the environment has been idle, or zero while it is starting or busy.</summary>
    public TimeSpan IdleFor
    {
        get
        {
            var since = Volatile.Read(ref _idleSince);
            return since != 0 && Volatile.Read(ref _claim) is null && _session.State == EnvironmentState.Idle ? _services.Time.GetElapsedTime(since) : TimeSpan.Zero;
        }
    }

    /// <summary>The Runtime API side of this environment, for the requests arriving on its endpoint.</summary>
    internal RuntimeApiSession Session => _session;

    /// <summary>The Extensions API side of this environment, from its INIT on (null before, and for a SnapStart restore).</summary>
    internal ExtensionsSession? Extensions => Volatile.Read(ref _extensions);

    /// <summary>The Telemetry and Logs API side of this environment, from its INIT on (null before, and for a SnapStart restore).</summary>
    internal TelemetryHub? Telemetry => Volatile.Read(ref _telemetry);

    /// <summary>
    /// Runs one invocation. Flow: claim the environment → (cold) INIT until the runtime first asks for an event → START →
    /// queue the event for <c>/next</c> → wait for the first of <c>/response</c>, <c>/error</c>, process exit, the
    /// deadline or the caller leaving (<paramref name="cancellationToken"/>) → drain output → END, REPORT → outcome.
    /// A response or a function error keeps the environment warm; a failed INIT, a crash, a timeout, an abandoned call
    /// or an exception stops it. With a <paramref name="stream"/> the response goes there as the runtime streams it (the
    /// result then carries only how it ended).
    /// </summary>
    public async Task<InvocationResult> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken, ChannelWriter<ResponseStreamPart>? stream = null)
    {
        var invocation = new ActiveInvocation(request, stream);
        if (Volatile.Read(ref _postInvoke) is { IsCompleted: false } postInvoke)
        {
            await postInvoke; // extensions still busy with the last invocation: the next event waits for them, as in Lambda
        }

        if (Interlocked.CompareExchange(ref _claim, invocation, null) is not null)
        {
            return Failed(PlatformFailureReason.EnvironmentBusy, $"Environment {Id} is handling another invocation.");
        }

        RefundPrewarm(); // a pre-warmed environment that serves a call is an ordinary warm one from now on
        try
        {
            double? initDurationMs;
            switch (_session.State)
            {
                case EnvironmentState.Created:
                    var init = await InitializeAsync(request.RequestId, cold: true, cancellationToken);
                    if (init.Outcome is not null)
                    {
                        return FinishWithoutRun(invocation, init);
                    }

                    initDurationMs = init.DurationMs;
                    break;
                case EnvironmentState.Idle:
                    (initDurationMs, _pendingInitDurationMs) = (_pendingInitDurationMs, null);
                    break;
                default:
                    return Failed(PlatformFailureReason.EnvironmentGone, $"Environment {Id} is no longer running.");
            }

            return await RunAsync(invocation, initDurationMs, cancellationToken);
        }
        catch (Exception e)
        {
            // Not an expected ending: the environment cannot be trusted with another event.
            LogUnexpected(_services.Logger, e, Id, Spec.FunctionName);
            _report.Abort(invocation);
            Stop($"unexpected failure: {e.GetType().Name}");
            return Failed(PlatformFailureReason.Unexpected, "The execution environment failed unexpectedly. Please try again.");
        }
        finally
        {
            if (!ReferenceEquals(Volatile.Read(ref _draining), invocation)) // else its post-invoke phase lets go of the environment
            {
                Interlocked.CompareExchange(ref _claim, null, invocation);
                if (_session.State == EnvironmentState.Dead)
                {
                    Stop("stopped during an invocation");
                }
            }
        }
    }

    /// <summary>
    /// Provisioned concurrency: runs INIT ahead of traffic with <c>AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency</c>,
    /// so that the first invocation finds the runtime waiting (no Init Duration in its REPORT). False when INIT failed;
    /// the environment is then stopped and its INIT_REPORT says why. Never throws.
    /// </summary>
    public Task<bool> PrepareAsync(CancellationToken cancellationToken) => InitializeAheadAsync(provisioned: true, cancellationToken);

    /// <summary>
    /// Pre-warming from history: runs INIT ahead of a predicted call, as Lambda's proactive initialization of on-demand
    /// environments does (<c>AWS_LAMBDA_INITIALIZATION_TYPE=on-demand</c>, no Init Duration in the first REPORT). Its
    /// function's MemorySize is charged to the node's <see cref="PrewarmBudget"/> until its first invocation or its end;
    /// false, with the environment stopped, when the budget has no room or INIT failed. Never throws.
    /// </summary>
    public Task<bool> PrewarmAsync(CancellationToken cancellationToken) => InitializeAheadAsync(provisioned: false, cancellationToken);

    private async Task<bool> InitializeAheadAsync(bool provisioned, CancellationToken cancellationToken)
    {
        var kind = provisioned ? "provisioned" : "pre-warm";
        var claim = new ActiveInvocation(new InvocationRequest { RequestId = Id, Payload = [], InvokedFunctionArn = Spec.FunctionArn, TraceId = "" }, null);
        if (Interlocked.CompareExchange(ref _claim, claim, null) is not null)
        {
            return false;
        }

        try
        {
            if (_session.State != EnvironmentState.Created)
            {
                return _session.State == EnvironmentState.Idle;
            }

            if (!provisioned)
            {
                if (!_services.PrewarmBudget.TryCharge(Spec.MemorySize))
                {
                    Stop($"the node's pre-warm budget ({_services.PrewarmBudget.Megabytes} MB) is used up");
                    return false;
                }

                Volatile.Write(ref _prewarmChargeMb, Spec.MemorySize);
            }

            Provisioned = provisioned;
            var init = await InitializeAsync(requestId: Id, cold: false, cancellationToken);
            if (init.Outcome is not null)
            {
                Stop($"{kind} INIT failed: {init.ErrorType ?? init.FailureReason.ToString()}");
                return false;
            }

            Volatile.Write(ref _idleSince, _services.Time.GetTimestamp());
            return true;
        }
        catch (Exception e)
        {
            LogUnexpected(_services.Logger, e, Id, Spec.FunctionName);
            Stop($"unexpected failure: {e.GetType().Name}");
            return false;
        }
        finally
        {
            Interlocked.CompareExchange(ref _claim, null, claim);
            if (_session.State == EnvironmentState.Dead)
            {
                Stop($"stopped during its {kind} INIT"); // an exit seen while claimed left the stopping to us
            }
        }
    }

    /// <summary>
    /// Stops the process tree, even in the middle of an invocation or its INIT (which then end as a platform failure,
    /// NodeLost, not the function's Runtime.ExitError: the platform stopped it), and forgets the environment. <paramref name="graceful"/>: an idle environment whose extensions registered for SHUTDOWN gets Lambda's
    /// SHUTDOWN phase first (reason spindown, up to <see cref="ShutdownBudget"/>). Idempotent.
    /// </summary>
    public void Shutdown(string reason, bool graceful = false)
    {
        if (graceful && Volatile.Read(ref _claim) is null)
        {
            Stop(reason, "spindown");
            return;
        }

        Volatile.Write(ref _stoppedBy, reason);
        _session.Fail(new RuntimeOutcome.Exited("signal: killed", StoppedBy: reason));
        Stop(reason);
    }

    /// <summary>INIT: code and layers unpacked, the process started, until the runtime's first <c>/next</c>, an init error, its exit or the INIT timeout.</summary>
    private async Task<InitResult> InitializeAsync(string requestId, bool cold, CancellationToken cancellationToken)
    {
        _initRequestId = requestId;
        if (!_session.TryLaunch())
        {
            return InitResult.Platform(PlatformFailureReason.EnvironmentGone, $"Environment {Id} is no longer running.");
        }

        // Starting processes is CPU-bound: a burst of cold starts queues here rather than thrashing the node,
        // and the queue time is not part of Init Duration. A SnapStart version's template (made now when this node has
        // none) is waited for first, outside the gate: a slow template INIT holds no other function's cold start.
        try
        {
            if (Spec.SnapStart && _snapshots is not null && SnapshotTemplates.Supports(Spec, _runtime))
            {
                (_template, _) = await _snapshots.GetAsync(Spec, cancellationToken).WaitAsync(SnapshotTemplate.InitLimit(Spec), _services.Time);
            }

            if (Spec.Image is { } image && _services.Images is { } images)
            {
                await images.EnsureAsync(image.ResolvedUri, cancellationToken); // likewise: a slow pull holds no INIT slot, and is not INIT
            }

            await _services.InitGate.WaitAsync(cancellationToken);
        }
        catch (ImageException e)
        {
            LogCodeUnavailable(_services.Logger, e, Id, Spec.FunctionName);
            _session.Fail(new RuntimeOutcome.Exited("no image"));
            _initEnded.TrySetResult();
            return InitResult.Platform(PlatformFailureReason.CodeUnavailable, $"Lambda could not pull the function's image on this node ({e.Failure}): {e.Message}");
        }
        catch (TimeoutException)
        {
            _session.Fail(new RuntimeOutcome.Exited("no snapshot"));
            _initEnded.TrySetResult();
            return InitResult.Platform(PlatformFailureReason.SnapStartNotReady, $"Lambda could not restore {Spec.FunctionName}:{Spec.Version}: its snapshot was not made in time.");
        }
        catch (OperationCanceledException)
        {
            _session.Fail(new RuntimeOutcome.Abandoned());
            _initEnded.TrySetResult();
            return InitResult.Abandoned;
        }

        try
        {
            return await InitializeProcessAsync(requestId, cold);
        }
        finally
        {
            _services.InitGate.Release();
            _initEnded.TrySetResult();
        }
    }

    private async Task<InitResult> InitializeProcessAsync(string requestId, bool cold)
    {
        if (Spec.SnapStart && _snapshots is not null && SnapshotTemplates.Supports(Spec, _runtime))
        {
            return await RestoreAsync();
        }

        var time = _services.Time;
        var started = time.GetTimestamp();
        string codeDirectory;
        string? layersDirectory;
        ImageRoot? image = null;
        try
        {
            if (Spec.Image is { } imageSpec)
            {
                // A container image: pulled once per digest by this node (the first INIT here waits for it), its root the sandbox's /.
                var lease = await (_services.Images ?? throw new InvalidOperationException("This node has no image store.")).UseAsync(imageSpec.ResolvedUri, CancellationToken.None);
                Volatile.Write(ref _image, lease);
                if (_session.State == EnvironmentState.Dead)
                {
                    Interlocked.Exchange(ref _image, null)?.Dispose(); // stopped meanwhile: Stop may have looked before the lease was here
                }

                image = lease.Root;
                codeDirectory = image.Directory;
                layersDirectory = null;
            }
            else
            {
                codeDirectory = await _services.CodeCache.GetDirectoryAsync(Spec.CodeSha256Hex, CancellationToken.None);
                layersDirectory = await _services.CodeCache.GetLayersDirectoryAsync(Spec.LayerHashes, CancellationToken.None);
            }
        }
        catch (ImageException e)
        {
            LogCodeUnavailable(_services.Logger, e, Id, Spec.FunctionName);
            _session.Fail(new RuntimeOutcome.Exited("no image"));
            return InitResult.Platform(PlatformFailureReason.CodeUnavailable, $"Lambda could not pull the function's image on this node ({e.Failure}): {e.Message}");
        }
        catch (Exception e)
        {
            LogCodeUnavailable(_services.Logger, e, Id, Spec.FunctionName);
            _session.Fail(new RuntimeOutcome.Exited("no code"));
            return InitResult.Platform(PlatformFailureReason.CodeUnavailable, "Lambda could not read the function's deployment package on this node. Please try again.");
        }

        if (image is not null && ImageProcess.Command(Spec.Image!, image.Config).Count == 0)
        {
            return FailInit(FunctionErrorTypes.RuntimeInvalidEntrypoint, ErrorDocument(FunctionErrorTypes.RuntimeInvalidEntrypoint, $"RequestId: {requestId} Error: the image has no ENTRYPOINT or CMD, and the function's ImageConfig sets neither"), 0);
        }

        if (image is null && _runtime.Family == RuntimeFamily.Provided && BootstrapProblem(codeDirectory) is { } problem)
        {
            return FailInit(FunctionErrorTypes.RuntimeInvalidEntrypoint, ErrorDocument(FunctionErrorTypes.RuntimeInvalidEntrypoint, $"RequestId: {requestId} Error: {problem}"), 0);
        }

        var extensions = image is null ? ExternalExtensions.Discover(layersDirectory) : ExternalExtensions.Discover(Path.Combine(image.Directory, "opt"), imageRoot: true);
        if (extensions.Count > ExtensionsSession.MaxExtensions)
        {
            return FailInit(FunctionErrorTypes.ExtensionLaunchError, ErrorDocument(FunctionErrorTypes.ExtensionLaunchError, $"RequestId: {requestId} Error: ErrTooManyExtensions: the function's layers hold {extensions.Count} extensions; the limit is {ExtensionsSession.MaxExtensions}"), 0);
        }

        Volatile.Write(ref _extensions, new ExtensionsSession(extensions, RegisterResponse));
        // Its listeners are on the environment's own address, owned by its own user (unconfined, neither is known).
        var confined = _services.Options.Isolation != Hosting.IsolationMode.None;
        _report.Telemetry = new TelemetryHub(SandboxAddress.For(RuntimeApiPort), confined ? _services.Options.SandboxUserIdBase + RuntimeApiPort : null, _services.Time, _services.Logger);
        Volatile.Write(ref _telemetry, _report.Telemetry);

        _report.InitStart(Provisioned ? "provisioned-concurrency" : "on-demand");
        try
        {
            var launch = new LaunchRequest(Id, Spec, _runtime, codeDirectory, $"127.0.0.1:{RuntimeApiPort}", LogStreamName, Provisioned ? "provisioned-concurrency" : "on-demand", layersDirectory,
                _services.Credentials.Issue(Spec), Extensions: extensions, Image: image);
            if (extensions.Count > 0)
            {
                Interlocked.Exchange(ref _prestarted, null)?.Dispose(); // it started without them: extensions start before the runtime
            }

            if (Interlocked.Exchange(ref _prestarted, null) is { } prestarted)
            {
                // Given to the runtime that waits on this port, with exactly the variables a fresh process would get.
                if (prestarted.Assign(codeDirectory, layersDirectory, _services.Launcher.EnvironmentFor(launch), _report.Output))
                {
                    _process.Adopt(prestarted);
                    LambdaCluster.Runtimes.Telemetry.LambdaTelemetry.PrestartedColdStarts.Add(1, LambdaCluster.Runtimes.Telemetry.LambdaTelemetry.Function(Spec.FunctionName));
                }
                else
                {
                    prestarted.Dispose(); // it died while waiting: a fresh one on the same port
                    _process.Launch(launch, _report.Output);
                }
            }
            else
            {
                _process.Launch(launch, _report.Output);
            }
        }
        catch (LaunchRefusedException e)
        {
            LogLaunchRefused(_services.Logger, Id, Spec.FunctionName, e.Message);
            _session.Fail(new RuntimeOutcome.Exited("not started"));
            return InitResult.Platform(e.Reason, e.Message);
        }
        catch (Exception e)
        {
            LogLaunchFailed(_services.Logger, e, Id, Spec.FunctionName);
            _session.Fail(new RuntimeOutcome.Exited("not started"));
            return InitResult.Platform(PlatformFailureReason.LaunchFailed, "Lambda could not start the function's runtime on this node.");
        }

        _ = _process.Exited.ContinueWith(static (exited, state) => ((ExecutionEnvironment)state!).OnProcessExited(exited.Result), this, TaskScheduler.Default);
        if (Provisioned)
        {
            _process.EndInitBurst(); // Lambda gives provisioned concurrency's INIT no burst: it is ahead of traffic, and would starve what serves it
        }

        var error = await AwaitInitAsync(requestId, started);
        var durationMs = time.GetElapsedTime(started).TotalMilliseconds;
        _telemetry!.CloseSubscriptions();
        if (!_initRuntimeDoneSent)
        {
            _report.InitRuntimeDone(error?.ErrorType);
        }

        if (_extensions!.Any)
        {
            _report.Extensions(_extensions.Describe());
        }

        if (error is not null)
        {
            return FailInit(error.ErrorType, error.Body, durationMs);
        }

        _ = _extensions.Failed.ContinueWith(static (failed, state) => ((ExecutionEnvironment)state!).OnExtensionFailed(failed.Result), this, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        _process.EndInitBurst();
        _report.InitDone(durationMs, cold);
        return InitResult.Ready(durationMs);
    }

    /// <summary>
    /// Waits for the end of INIT, within the INIT timeout: the runtime asks for its first event (or fails), then every
    /// extension that registered asks for its first event; an extension that crashes or reports an error first fails INIT
    /// with its error type. Null when INIT succeeded.
    /// </summary>
    private async Task<InitError?> AwaitInitAsync(string requestId, long started)
    {
        var time = _services.Time;
        var extensions = _extensions!;
        try
        {
            var runtimeReady = _session.InitEnded;
            if (await Task.WhenAny(runtimeReady, extensions.Failed).WaitAsync(_services.Options.InitTimeout, time) != runtimeReady)
            {
                return ExtensionInitError(extensions.Failed.Result, requestId);
            }

            if (await runtimeReady is { } runtimeError)
            {
                return runtimeError;
            }

            _report.InitRuntimeDone(null); // the runtime is ready: said now, not once the extensions are
            _initRuntimeDoneSent = true;
            var ready = extensions.CloseRegistration();
            if (!ready.IsCompleted)
            {
                var remaining = _services.Options.InitTimeout - time.GetElapsedTime(started);
                if (await Task.WhenAny(ready, extensions.Failed).WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, time) != ready)
                {
                    return ExtensionInitError(extensions.Failed.Result, requestId);
                }
            }

            return extensions.Failed.IsCompleted ? ExtensionInitError(extensions.Failed.Result, requestId) : null;
        }
        catch (TimeoutException)
        {
            return new InitError(FunctionErrorTypes.SandboxTimedout, ErrorDocument(FunctionErrorTypes.SandboxTimedout, $"RequestId: {requestId} Error: INIT phase timed out after {_services.Options.InitTimeout.TotalSeconds:0.00} seconds"));
        }
    }

    private static InitError ExtensionInitError(ExtensionFailure failure, string requestId) =>
        new(failure.ErrorType, ErrorDocument(failure.ErrorType, $"RequestId: {requestId} Error: {failure.Message}"));

    /// <summary>The body <c>/extension/register</c> answers: the function's name, version and handler, and its account with the accountId feature.</summary>
    private byte[] RegisterResponse(bool withAccountId)
    {
        var arn = Spec.FunctionArn.Split(':');
        return System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(
            new RegisterResponseBody(Spec.FunctionName, Spec.Version, Spec.Handler, withAccountId && arn.Length > 4 ? arn[4] : null),
            ExtensionsJsonContext.Default.RegisterResponseBody);
    }

    /// <summary>
    /// A SnapStart cold start: a restore instead of INIT. Flow: the node's template of this revision (made now when the
    /// node has none) → RESTORE_START → a fork of it onto this environment's Runtime API → wait until the fork asks for
    /// its first event (its after-restore hooks ran), posts <c>/restore/error</c>, exits, or <see cref="RestoreLimit"/>
    /// passes → RESTORE_REPORT. A failed restore is Lambda's SnapStartException (SnapStartTimeoutException past the limit).
    /// </summary>
    private async Task<InitResult> RestoreAsync()
    {
        var time = _services.Time;
        if (_template is not { } template)
        {
            _session.Fail(new RuntimeOutcome.Exited("no snapshot"));
            return InitResult.Platform(PlatformFailureReason.SnapStartNotReady, $"Lambda could not restore {Spec.FunctionName}:{Spec.Version}: its snapshot's INIT failed on this node.");
        }

        var started = time.GetTimestamp();
        _report.RestoreStart();
        try
        {
            var fork = new ForkedProcess(template, Id, RuntimeApiPort, _services.ForkConfinement, _report.Output);
            _fork = fork;
            _process.Adopt(fork);
            template.Order(fork.Order with { Credentials = _services.Credentials.Issue(Spec) });
        }
        catch (Exception e)
        {
            LogLaunchFailed(_services.Logger, e, Id, Spec.FunctionName);
            _session.Fail(new RuntimeOutcome.Exited("not started"));
            return InitResult.Platform(PlatformFailureReason.LaunchFailed, "Lambda could not restore the function's snapshot on this node.");
        }

        _ = _process.Exited.ContinueWith(static (exited, state) => ((ExecutionEnvironment)state!).OnProcessExited(exited.Result), this, TaskScheduler.Default);

        InitError? error;
        try
        {
            error = await _session.InitEnded.WaitAsync(RestoreLimit, time);
        }
        catch (TimeoutException)
        {
            error = new InitError(FunctionErrorTypes.SnapStartTimeout, []);
        }

        var durationMs = time.GetElapsedTime(started).TotalMilliseconds;
        if (error is not null)
        {
            _session.Fail(new RuntimeOutcome.Exited("restore failed"));
            _process.Kill();
            _process.Drain();
            _report.RestoreReport(durationMs, error.ErrorType);
            return error.ErrorType == FunctionErrorTypes.SnapStartTimeout
                ? InitResult.Platform(PlatformFailureReason.SnapStartTimedOut, "Lambda couldn't restore the snapshot within the timeout limit (10 seconds).")
                : InitResult.Platform(PlatformFailureReason.SnapStartRestoreFailed, $"The afterRestore() runtime hook encountered an error ({error.ErrorType}). For more information, check the Amazon CloudWatch logs.");
        }

        _process.EndInitBurst();
        _report.RestoreReport(durationMs, null);
        LambdaCluster.Runtimes.Telemetry.LambdaTelemetry.SnapStartRestores.Add(1, LambdaCluster.Runtimes.Telemetry.LambdaTelemetry.Function(Spec.FunctionName));
        _restored = true;
        return InitResult.Ready(durationMs);
    }

    /// <summary>
    /// A fork checked in on this environment's Runtime API (<c>GET /restore/next</c> with its pid in the template):
    /// false when this environment is not waiting for one, or the pid is not its template's.
    /// </summary>
    /// <summary>True while this environment waits for its fork to check in: its endpoint answers nothing else meanwhile.</summary>
    internal bool AwaitingFork => _fork is { Pid: 0 };

    internal bool ForkCheckIn(int namespacePid, int? runtimeNamespacePid) =>
        _session.State == EnvironmentState.Initializing && _fork is { } fork && fork.Attach(namespacePid, runtimeNamespacePid);

    /// <summary>INIT failed: the process is stopped first (nothing it prints lands after INIT_REPORT), then INIT_REPORT.</summary>
    private InitResult FailInit(string errorType, byte[] body, double durationMs)
    {
        _session.Fail(new RuntimeOutcome.Exited("init failed"));
        _process.Kill();
        _process.Drain();
        _report.InitFailed(durationMs, errorType);
        return Volatile.Read(ref _stoppedBy) is { } stoppedBy
            ? InitResult.Platform(PlatformFailureReason.NodeLost, StoppedMessage(stoppedBy)) // INIT was cut short by the platform, not failed by the function
            : InitResult.Failed(errorType, body, durationMs);
    }

    private static string StoppedMessage(string stoppedBy) => $"The execution environment running this invocation was stopped ({stoppedBy}). Please try again.";

    private async Task<InvocationResult> RunAsync(ActiveInvocation invocation, double? initDurationMs, CancellationToken cancellationToken)
    {
        var time = _services.Time;
        if (!_session.TryQueue(invocation, out var handOff))
        {
            return Failed(PlatformFailureReason.EnvironmentGone, $"Environment {Id} is no longer running.");
        }

        _report.Start(invocation);
        var started = time.GetTimestamp();
        invocation.DeadlineMs = time.GetUtcNow().AddSeconds(Spec.Timeout).ToUnixTimeMilliseconds();
        var extensionsDone = _extensions is { HasInvokeSubscribers: true } extensions ? extensions.Invoke(InvokeEvent(invocation)) : null;
        handOff?.TrySetResult(invocation);

        try
        {
            await invocation.Outcome.WaitAsync(TimeSpan.FromSeconds(Spec.Timeout), time, cancellationToken);
        }
        catch (TimeoutException)
        {
            invocation.End(new RuntimeOutcome.TimedOut());
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            invocation.End(new RuntimeOutcome.Abandoned());
        }

        var outcome = await invocation.Outcome; // whichever ending came first
        if (outcome is RuntimeOutcome.Undelivered undelivered)
        {
            // The runtime ended after its last answer without asking for another event (a rejection its handler left
            // behind, say): as in Lambda, no event waits on a runtime that is gone, so this one runs on a new environment.
            _report.Abort(invocation);
            Stop($"runtime exited before taking an event ({undelivered.How})");
            return Failed(PlatformFailureReason.EnvironmentGone, $"Environment {Id} stopped before its runtime took the event.");
        }

        if (_report.PlatformTelemetryWanted)
        {
            var (runtimeStatus, runtimeError) = outcome switch
            {
                RuntimeOutcome.Response or RuntimeOutcome.FunctionError => ("success", (string?)null),
                RuntimeOutcome.ResponseTooLarge => ("failure", FunctionErrorTypes.ResponseSizeTooLarge),
                RuntimeOutcome.TimedOut => ("timeout", null),
                RuntimeOutcome.Exited => ("failure", FunctionErrorTypes.RuntimeExitError),
                RuntimeOutcome.ExtensionFailed failed => ("failure", failed.ErrorType),
                _ => ("failure", null),
            };
            var runtimeMs = time.GetElapsedTime(started).TotalMilliseconds;
            _process.Drain(); // the function's lines come before runtimeDone
            _report.RuntimeDone(invocation, runtimeStatus, runtimeError, runtimeMs, outcome is RuntimeOutcome.Response r ? r.Body.Length : 0);
        }

        if (extensionsDone is not null && outcome is RuntimeOutcome.Response or RuntimeOutcome.FunctionError or RuntimeOutcome.ResponseTooLarge)
        {
            if (!extensionsDone.IsCompleted && invocation.Stream is null && !invocation.Request.WantsLogTail)
            {
                // Lambda answers once the runtime has; the extensions' part of the invocation goes on (END and REPORT come
                // after it), and the environment takes no other event until it is over. A caller that asked for the log
                // tail waits for it, since the tail ends with REPORT.
                Volatile.Write(ref _draining, invocation);
                Volatile.Write(ref _postInvoke, PostInvokeAsync(invocation, outcome, extensionsDone, started, initDurationMs));
                return Answer(invocation, outcome);
            }

            outcome = await AwaitExtensionsAsync(extensionsDone, invocation, outcome, cancellationToken);
        }

        var durationMs = time.GetElapsedTime(started).TotalMilliseconds;
        _process.Drain(); // what the function printed before it answered belongs to this invocation, before END
        return await FinishAsync(invocation, outcome, durationMs, initDurationMs);
    }

    /// <summary>The extensions' part of an invocation whose caller already has its answer: then END, REPORT, and the environment is free (or stopped).</summary>
    private async Task PostInvokeAsync(ActiveInvocation invocation, RuntimeOutcome outcome, Task extensionsDone, long started, double? initDurationMs)
    {
        try
        {
            outcome = await AwaitExtensionsAsync(extensionsDone, invocation, outcome, CancellationToken.None);
            var durationMs = _services.Time.GetElapsedTime(started).TotalMilliseconds;
            _process.Drain();
            await FinishAsync(invocation, outcome, durationMs, initDurationMs);
        }
        catch (Exception e)
        {
            LogUnexpected(_services.Logger, e, Id, Spec.FunctionName);
            _report.Abort(invocation);
            Stop($"unexpected failure: {e.GetType().Name}");
        }
        finally
        {
            Volatile.Write(ref _draining, null);
            Interlocked.CompareExchange(ref _claim, null, invocation);
            if (_session.State == EnvironmentState.Dead)
            {
                Stop("stopped after an invocation");
            }
        }
    }

    /// <summary>The caller's answer from the runtime's (a response, a function error or an oversized response), before END and REPORT.</summary>
    private InvocationResult Answer(ActiveInvocation invocation, RuntimeOutcome outcome)
    {
        var (kind, payload, _, _) = Classify(outcome, invocation.RequestId);
        return new InvocationResult
        {
            Payload = payload,
            FunctionError = kind == InvocationOutcome.Response ? null : FunctionErrorTypes.Unhandled,
            ExecutedVersion = Spec.Version,
            ContentType = "application/json",
            Outcome = kind,
        };
    }

    /// <summary>
    /// The runtime answered: the invocation is over when every extension registered for INVOKE has asked for its next
    /// event, within the function's timeout (which bounds runtime and extensions together). Its outcome stays the
    /// runtime's, unless an extension failed meanwhile, the deadline passed (a timeout) or the caller left.
    /// </summary>
    private async Task<RuntimeOutcome> AwaitExtensionsAsync(Task extensionsDone, ActiveInvocation invocation, RuntimeOutcome outcome, CancellationToken cancellationToken)
    {
        var time = _services.Time;
        var remaining = DateTimeOffset.FromUnixTimeMilliseconds(invocation.DeadlineMs) - time.GetUtcNow();
        try
        {
            var failed = _extensions!.Failed;
            if (await Task.WhenAny(extensionsDone, failed).WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, time, cancellationToken) == extensionsDone)
            {
                return outcome;
            }

            return new RuntimeOutcome.ExtensionFailed(failed.Result.ErrorType, failed.Result.Message);
        }
        catch (TimeoutException)
        {
            return new RuntimeOutcome.TimedOut();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new RuntimeOutcome.Abandoned();
        }
    }

    /// <summary>An extension's INVOKE event for <paramref name="invocation"/>: its request id, deadline, ARN and tracing header.</summary>
    private static byte[] InvokeEvent(ActiveInvocation invocation) =>
        System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(
            new InvokeEventBody("INVOKE", invocation.DeadlineMs, invocation.RequestId, invocation.Request.InvokedFunctionArn, new TracingBody("X-Amzn-Trace-Id", invocation.Request.TraceId)),
            ExtensionsJsonContext.Default.InvokeEventBody);

    /// <summary>
    /// Lambda's SHUTDOWN phase for extensions: the SHUTDOWN event (with <paramref name="reason"/>: spindown, timeout or
    /// failure, and its deadline) to every external extension registered for it, then up to <see cref="ShutdownBudget"/>
    /// for their processes to end (or the whole tree to). The caller kills what is left.
    /// </summary>
    private async Task ShutdownExtensionsAsync(string reason)
    {
        var time = _services.Time;
        var deadline = time.GetUtcNow() + ShutdownBudget;
        if (_telemetry is { } telemetry)
        {
            await telemetry.FlushAsync(ShutdownBudget / 4); // what happened before SHUTDOWN reaches the extensions before it
        }

        var done = _extensions!.Shutdown(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(
            new ShutdownEventBody("SHUTDOWN", reason, deadline.ToUnixTimeMilliseconds()), ExtensionsJsonContext.Default.ShutdownEventBody));
        try
        {
            await Task.WhenAny(done, _process.Exited).WaitAsync(ShutdownBudget, time);
        }
        catch (TimeoutException)
        {
            // What is still running is killed.
        }
    }

    /// <summary>An ending as the caller and the log see it: its outcome, the payload (Lambda's error document for a platform ending), and REPORT's status and error type.</summary>
    private (InvocationOutcome Kind, byte[] Payload, string? Status, string? ErrorType) Classify(RuntimeOutcome outcome, string requestId) =>
        outcome switch
        {
            RuntimeOutcome.Response r => (InvocationOutcome.Response, r.Body, (string?)null, (string?)null),
            RuntimeOutcome.FunctionError e => (InvocationOutcome.FunctionError, e.Body, null, null),
            RuntimeOutcome.ResponseTooLarge t => (InvocationOutcome.ResponseTooLarge, ErrorDocument(FunctionErrorTypes.ResponseSizeTooLarge, $"Response payload size ({t.Size} bytes) exceeded maximum allowed payload size ({t.Limit} bytes)."), null, null),
            RuntimeOutcome.Abandoned => (InvocationOutcome.Abandoned, [], null, null),
            RuntimeOutcome.Exited x => (InvocationOutcome.Exited, ErrorDocument(FunctionErrorTypes.RuntimeExitError, $"RequestId: {requestId} Error: Runtime exited with error: {x.How}"), "error", FunctionErrorTypes.RuntimeExitError),
            RuntimeOutcome.ExtensionFailed f => (InvocationOutcome.Exited, ErrorDocument(f.ErrorType, $"RequestId: {requestId} Error: {f.Message}"), "error", f.ErrorType),
            _ => (InvocationOutcome.TimedOut, ErrorDocument(FunctionErrorTypes.SandboxTimedout, $"RequestId: {requestId} Error: Task timed out after {Spec.Timeout:0.00} seconds"), "timeout", (string?)null),
        };

    private async Task<InvocationResult> FinishAsync(ActiveInvocation invocation, RuntimeOutcome outcome, double durationMs, double? initDurationMs)
    {
        var (kind, payload, status, errorType) = Classify(outcome, invocation.RequestId);
        var reusable = kind is InvocationOutcome.Response or InvocationOutcome.FunctionError or InvocationOutcome.ResponseTooLarge;
        if (outcome is RuntimeOutcome.TimedOut)
        {
            _report.TimedOut(invocation);
        }
        else if (outcome is RuntimeOutcome.Exited exited)
        {
            _report.Exited(invocation, exited.How);
        }

        var memory = _process.MaxMemoryUsedMb();
        if (!reusable)
        {
            // Stopped before REPORT, so that nothing it still prints lands after the invocation's last line; extensions
            // registered for SHUTDOWN hear why first (Lambda resets the environment after a timeout or a failure).
            _session.Fail(outcome, keepParked: _extensions is { Any: true });
            if (outcome is not RuntimeOutcome.Abandoned && _extensions is { Any: true } && !_process.Exited.IsCompleted && Interlocked.CompareExchange(ref _shutdownPhase, 1, 0) == 0)
            {
                await ShutdownExtensionsAsync(outcome is RuntimeOutcome.TimedOut ? "timeout" : "failure");
            }

            _process.Kill();
            _process.Drain(); // what it printed before it was stopped may still be in its pipe: read (and stamped) before REPORT
        }

        var tail = _report.End(invocation, durationMs, memory, initDurationMs, status, errorType, functionError: kind != InvocationOutcome.Response && kind != InvocationOutcome.Abandoned,
            restored: _restored && initDurationMs is not null);
        if (reusable)
        {
            Volatile.Write(ref _idleSince, _services.Time.GetTimestamp());
            _session.Finish(invocation);
        }
        else
        {
            Stop(kind switch
            {
                InvocationOutcome.TimedOut => "invocation timed out",
                InvocationOutcome.Abandoned => "the caller went away",
                _ => "runtime exited during invocation",
            });
        }

        if (outcome is RuntimeOutcome.Exited { StoppedBy: { } stoppedBy })
        {
            // Not the function's failure: a synchronous caller gets a ServiceException to retry, and an asynchronous event
            // goes back to its queue (a system error) instead of using up one of its retries and waiting a minute for it.
            return Failed(PlatformFailureReason.NodeLost, StoppedMessage(stoppedBy));
        }

        return new InvocationResult
        {
            Payload = payload,
            FunctionError = kind is InvocationOutcome.Response or InvocationOutcome.Abandoned ? null : FunctionErrorTypes.Unhandled,
            LogTail = tail,
            ExecutedVersion = Spec.Version,
            ContentType = outcome is RuntimeOutcome.Response response && invocation.Stream is not null ? response.ContentType : "application/json",
            Streamed = invocation.Streamed,
            Outcome = kind,
        };
    }

    /// <summary>An invocation that INIT (or the platform) ended before it ran: Lambda still logs START, END and REPORT for it.</summary>
    private InvocationResult FinishWithoutRun(ActiveInvocation invocation, InitResult init)
    {
        Stop(init.ErrorType is null ? $"not started: {init.Outcome}" : $"INIT failed with {init.ErrorType}");
        if (init.Outcome == InvocationOutcome.Abandoned)
        {
            return new InvocationResult { Payload = [], ExecutedVersion = Spec.Version, Outcome = InvocationOutcome.Abandoned };
        }

        if (init.ErrorType is not { } errorType)
        {
            return Failed(init.FailureReason, init.Message);
        }

        _report.Start(invocation);
        var tail = _report.End(invocation, 0, _process.MaxMemoryUsedMb(), null, "error", errorType, functionError: true);
        var requestId = invocation.RequestId;
        return new InvocationResult
        {
            Payload = init.Body is { Length: > 0 } body ? body : ErrorDocument(errorType, $"RequestId: {requestId} Error: Runtime failed to initialize"),
            FunctionError = FunctionErrorTypes.Unhandled,
            LogTail = tail,
            ExecutedVersion = Spec.Version,
            Outcome = InvocationOutcome.InitFailed,
        };
    }

    private InvocationResult Failed(PlatformFailureReason reason, string? message) =>
        InvocationResult.Failed(InvocationOutcome.PlatformFailure, Spec.Version, message, reason);

    private void OnProcessExited(string how)
    {
        var ended = ErrorDocument(FunctionErrorTypes.RuntimeExitError, $"RequestId: {_initRequestId} Error: Runtime exited with error: {how}");
        _session.Fail(new RuntimeOutcome.Exited(how), new InitError(FunctionErrorTypes.RuntimeExitError, ended));
        if (Volatile.Read(ref _claim) is null)
        {
            Stop($"runtime exited while idle ({how})"); // an invocation in flight stops the environment itself when it sees the exit
        }
    }

    /// <summary>
    /// Kills the process tree and tells the node to forget this environment. Idempotent; <paramref name="reason"/> is for
    /// the node's log. With a <paramref name="shutdownReason"/>, extensions registered for SHUTDOWN get the SHUTDOWN phase
    /// first (the environment is forgotten after it); a later plain Stop does not wait for it.
    /// </summary>
    private void Stop(string reason, string? shutdownReason = null)
    {
        if (shutdownReason is not null && Volatile.Read(ref _extensions) is { Any: true } && _process.Pid != 0 && !_process.Exited.IsCompleted
            && Interlocked.CompareExchange(ref _shutdownPhase, 1, 0) == 0)
        {
            _session.Fail(new RuntimeOutcome.Exited("signal: killed"), keepParked: true);
            _ = StopAfterShutdownPhaseAsync(reason, shutdownReason);
            return;
        }

        _session.Fail(new RuntimeOutcome.Exited("signal: killed"));

        Volatile.Read(ref _extensions)?.Close();
        Volatile.Read(ref _telemetry)?.Dispose();
        _process.Dispose();
        Interlocked.Exchange(ref _prestarted, null)?.Dispose(); // stopped before INIT gave it its function
        Interlocked.Exchange(ref _image, null)?.Dispose();
        _initEnded.TrySetResult();
        RefundPrewarm();
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            LogStopped(_services.Logger, Id, Spec.FunctionName, reason);
            _onStopped(this);
        }
    }

    private async Task StopAfterShutdownPhaseAsync(string reason, string shutdownReason)
    {
        try
        {
            await ShutdownExtensionsAsync(shutdownReason);
        }
        finally
        {
            Stop(reason);
        }
    }

    /// <summary>An extension crashed or reported an error after INIT: the invocation in flight ends with it, and an idle environment stops.</summary>
    private void OnExtensionFailed(ExtensionFailure failure)
    {
        _session.Fail(new RuntimeOutcome.ExtensionFailed(failure.ErrorType, failure.Message));
        if (Volatile.Read(ref _claim) is null)
        {
            Stop($"extension {failure.ExtensionName} failed ({failure.ErrorType})");
        }
    }

    /// <summary>Gives the pre-warm budget back what this environment charged, once.</summary>
    private void RefundPrewarm()
    {
        if (Interlocked.Exchange(ref _prewarmChargeMb, 0) is > 0 and var charged)
        {
            _services.PrewarmBudget.Refund(charged);
        }
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

    /// <summary>Lambda's error document for a failure the platform reports: <c>{"errorType":…,"errorMessage":…}</c>.</summary>
    internal static byte[] ErrorDocument(string errorType, string errorMessage) =>
        System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new ErrorDocumentBody(errorType, errorMessage), RuntimeJsonContext.Default.ErrorDocumentBody);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Environment {EnvironmentId} of {FunctionName} stopped: {Reason}")]
    private static partial void LogStopped(ILogger logger, string environmentId, string functionName, string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "Environment {EnvironmentId} of {FunctionName} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string environmentId, string functionName);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Environment {EnvironmentId} of {FunctionName}: the deployment package could not be made ready")]
    private static partial void LogCodeUnavailable(ILogger logger, Exception exception, string environmentId, string functionName);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Environment {EnvironmentId} of {FunctionName}: the runtime could not be started")]
    private static partial void LogLaunchFailed(ILogger logger, Exception exception, string environmentId, string functionName);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Warning, Message = "Environment {EnvironmentId} of {FunctionName} was not started: {Problem}")]
    private static partial void LogLaunchRefused(ILogger logger, string environmentId, string functionName, string problem);
}

using LambdaCluster.Runtimes.Invocation;

namespace LambdaCluster.Runtimes.Environments;

/// <summary>
/// The Runtime API side of one environment. The long poll is the hand-off: a runtime's <c>GET /next</c> parks here
/// until the platform queues an event (or takes an already queued one at once), and <c>/response</c>, <c>/error</c>
/// and <c>/init/error</c> are the completions. Every runtime request and every platform step passes the
/// <see cref="EnvironmentStateMachine"/> under one lock, validated before it fires, so a runtime only ever sees
/// its own environment's current event and a request id that is not the one in flight is refused.
/// </summary>
internal sealed class RuntimeApiSession
{
    private readonly Lock _gate = new();
    private readonly EnvironmentStateMachine _machine = new();
    private readonly TaskCompletionSource<InitError?> _init = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ActiveInvocation? _invocation;
    private TaskCompletionSource<ActiveInvocation?>? _parked;

    public EnvironmentState State
    {
        get
        {
            lock (_gate)
            {
                return _machine.State;
            }
        }
    }

    /// <summary>Completes when INIT is over: null when the runtime asked for its first event, else why it failed.</summary>
    public Task<InitError?> InitEnded => _init.Task;

    // ---- the platform's side

    /// <summary>Created → Initializing: the process is about to start. False when the environment was already launched or is gone.</summary>
    public bool TryLaunch()
    {
        lock (_gate)
        {
            return _machine.TryFire(EnvironmentTrigger.Launch);
        }
    }

    /// <summary>
    /// Idle → Queued: the event waits for the runtime. When a <c>/next</c> is already parked, the event is taken for it
    /// and <paramref name="handOff"/> is that long poll: completing it with the invocation sends the event (the caller
    /// does so once it has logged START, so nothing the function prints can come before it). False when the
    /// environment is not idle (nothing was queued).
    /// </summary>
    public bool TryQueue(ActiveInvocation invocation, out TaskCompletionSource<ActiveInvocation?>? handOff)
    {
        lock (_gate)
        {
            handOff = null;
            if (!_machine.TryFire(EnvironmentTrigger.Invoke))
            {
                return false;
            }

            _invocation = invocation;
            if (_parked is not null)
            {
                (handOff, _parked) = (_parked, null);
                _machine.TryFire(EnvironmentTrigger.EventTaken);
            }

            return true;
        }
    }

    /// <summary>Answered → Idle once END and REPORT are written; the invocation is no longer current.</summary>
    public void Finish(ActiveInvocation invocation)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_invocation, invocation))
            {
                _machine.TryFire(EnvironmentTrigger.Finish);
                _invocation = null;
            }
        }
    }

    /// <summary>
    /// → Dead, for good: the current invocation ends with <paramref name="ending"/> (unless it already ended), a parked
    /// <c>/next</c> is told the environment is shutting down (unless <paramref name="keepParked"/>: during the extensions'
    /// SHUTDOWN phase the runtime keeps waiting, as a runtime that ended would take its extensions with it), and an INIT
    /// in progress fails. False when already dead.
    /// </summary>
    public bool Fail(RuntimeOutcome ending, InitError? initEnding = null, bool keepParked = false)
    {
        ActiveInvocation? invocation;
        TaskCompletionSource<ActiveInvocation?>? parked;
        bool undelivered;
        lock (_gate)
        {
            undelivered = _machine.Stage == InvocationStage.Queued;
            if (!_machine.TryFire(EnvironmentTrigger.Fail))
            {
                return false;
            }

            (invocation, _invocation) = (_invocation, null);
            parked = keepParked ? null : _parked;
            _parked = null;
        }

        // An event the runtime never took did not run, whatever stopped the environment: it may run elsewhere.
        invocation?.End(undelivered && ending is RuntimeOutcome.Exited exited ? new RuntimeOutcome.Undelivered(exited.How) : ending);
        parked?.TrySetResult(null);
        _init.TrySetResult(initEnding ?? new InitError(FunctionErrorTypes.RuntimeExitError, []));
        return true;
    }

    // ---- the runtime's side

    /// <summary>
    /// The runtime's <c>GET /next</c>. The first one ends INIT. Completes with the event to hand over, at once when one
    /// is queued, or when the platform queues one; with null when the environment shuts down meanwhile. Returns null
    /// (no task) when the runtime may not ask now (it has an event it did not answer, or the environment is gone):
    /// Lambda answers 403 InvalidStateTransition.
    /// </summary>
    public Task<ActiveInvocation?>? Next(CancellationToken cancellationToken)
    {
        TaskCompletionSource<ActiveInvocation?>? replaced;
        TaskCompletionSource<ActiveInvocation?> parked;
        var initEnded = false;
        lock (_gate)
        {
            if (_machine.State == EnvironmentState.Initializing)
            {
                initEnded = _machine.TryFire(EnvironmentTrigger.RuntimeReady);
            }

            if (_machine.Stage == InvocationStage.Queued && _machine.TryFire(EnvironmentTrigger.EventTaken))
            {
                return Task.FromResult(_invocation);
            }

            if (!_machine.RuntimeMayWait)
            {
                return null;
            }

            // One runtime, one long poll: a newer /next (the runtime reconnected) takes the place of an older one.
            replaced = _parked;
            _parked = parked = new TaskCompletionSource<ActiveInvocation?>();
        }

        replaced?.TrySetResult(null);
        if (initEnded)
        {
            _init.TrySetResult(null);
        }

        return cancellationToken.CanBeCanceled ? ParkAsync(parked, cancellationToken) : parked.Task;
    }

    private async Task<ActiveInvocation?> ParkAsync(TaskCompletionSource<ActiveInvocation?> parked, CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(static state =>
        {
            var (session, waiter) = ((RuntimeApiSession, TaskCompletionSource<ActiveInvocation?>))state!;
            session.Unpark(waiter);
        }, (this, parked));
        return await parked.Task;
    }

    /// <summary>The runtime's connection went away while parked: forget its long poll (a queued event stays queued).</summary>
    private void Unpark(TaskCompletionSource<ActiveInvocation?> waiter)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_parked, waiter))
            {
                _parked = null;
            }
        }

        waiter.TrySetCanceled();
    }

    /// <summary>The runtime's buffered <c>POST /response</c>.</summary>
    public RuntimePostOutcome PostResponse(string requestId, byte[] body, string? contentType) =>
        Answer(requestId, new RuntimeOutcome.Response(body, string.IsNullOrEmpty(contentType) ? "application/json" : contentType));

    /// <summary>A buffered <c>/response</c> over Lambda's limit: the invocation fails with Function.ResponseSizeTooLarge.</summary>
    public RuntimePostOutcome PostResponseTooLarge(string requestId, long size) =>
        Answer(requestId, new RuntimeOutcome.ResponseTooLarge(size, ExecutionEnvironment.MaxResponseBytes));

    /// <summary>The runtime's <c>POST /error</c>; a missing error-type header is Runtime.Unknown, as the native clients send none.</summary>
    public RuntimePostOutcome PostError(string requestId, string? errorType, byte[] body) =>
        Answer(requestId, new RuntimeOutcome.FunctionError(string.IsNullOrEmpty(errorType) ? FunctionErrorTypes.RuntimeUnknown : errorType, body));

    /// <summary>The runtime's <c>POST /init/error</c>: allowed only during INIT, which then fails.</summary>
    public RuntimePostOutcome PostInitError(string? errorType, byte[] body)
    {
        lock (_gate)
        {
            if (_machine.State != EnvironmentState.Initializing)
            {
                return RuntimePostOutcome.InvalidStateTransition;
            }
        }

        _init.TrySetResult(new InitError(string.IsNullOrEmpty(errorType) ? FunctionErrorTypes.RuntimeUnknown : errorType, body));
        return RuntimePostOutcome.Accepted;
    }

    /// <summary>
    /// The runtime's <c>/response</c> in streaming mode: the body that follows goes to the returned stream as it arrives.
    /// Refused like any other response for an id that is not the one in flight.
    /// </summary>
    public RuntimePostOutcome BeginStreamedResponse(string requestId, string? contentType, out StreamedResponse? response)
    {
        response = null;
        lock (_gate)
        {
            if (Validate(requestId) is { } refused)
            {
                return refused;
            }

            _machine.TryFire(EnvironmentTrigger.StreamStarted);
            _invocation!.Streamed = true;
            response = new StreamedResponse(this, _invocation, string.IsNullOrEmpty(contentType) ? "application/octet-stream" : contentType);
            return RuntimePostOutcome.Accepted;
        }
    }

    /// <summary>A streamed response ended (or went over its limit): the invocation's outcome, unless it already ended.</summary>
    public RuntimePostOutcome CompleteStreamed(ActiveInvocation invocation, RuntimeOutcome outcome)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_invocation, invocation) || !_machine.TryFire(EnvironmentTrigger.Answer))
            {
                return RuntimePostOutcome.InvalidRequestId;
            }
        }

        invocation.End(outcome);
        return outcome is RuntimeOutcome.ResponseTooLarge ? RuntimePostOutcome.PayloadTooLarge : RuntimePostOutcome.Accepted;
    }

    private RuntimePostOutcome Answer(string requestId, RuntimeOutcome outcome)
    {
        ActiveInvocation invocation;
        lock (_gate)
        {
            if (Validate(requestId) is { } refused)
            {
                return refused;
            }

            _machine.TryFire(EnvironmentTrigger.Answer);
            invocation = _invocation!;
        }

        invocation.End(outcome);
        return outcome is RuntimeOutcome.ResponseTooLarge ? RuntimePostOutcome.PayloadTooLarge : RuntimePostOutcome.Accepted;
    }

    /// <summary>
    /// Null when the runtime may answer <paramref name="requestId"/> now; else how to refuse: an id that is not the
    /// event it holds is InvalidRequestID (400), a second answer while its response is streaming is InvalidStateTransition (403).
    /// </summary>
    private RuntimePostOutcome? Validate(string requestId)
    {
        if (_invocation is null || _invocation.RequestId != requestId || _machine.Stage is InvocationStage.Queued or InvocationStage.Answered)
        {
            return RuntimePostOutcome.InvalidRequestId;
        }

        return _machine.Stage == InvocationStage.Running ? null : RuntimePostOutcome.InvalidStateTransition;
    }
}

namespace LambdaCluster.Runtimes.Extensions;

/// <summary>
/// The Extensions API side of one environment (the Lambda guide's runtimes-extensions-api; the Runtime Interface
/// Emulator's core/registrations.go and rapid/handlers.go for the order of things). Every request and every platform
/// step passes one lock.
/// <list type="bullet">
/// <item>INIT: the external extensions (the files of /opt/extensions, started before the runtime) register; the runtime
/// starts once all have (<see cref="ExternalsRegistered"/>); extensions inside the runtime's process may register until the
/// runtime first asks for an event (<see cref="CloseRegistration"/>); INIT ends when every registered extension has then
/// called <c>event/next</c> (the returned task).</item>
/// <item>INVOKE: the extensions registered for INVOKE get the event (<see cref="Invoke"/>); the invocation is over when
/// each has called <c>event/next</c> again.</item>
/// <item>SHUTDOWN: the external extensions registered for it get the event with its reason and deadline
/// (<see cref="Shutdown"/>); the phase is over when their processes have ended.</item>
/// </list>
/// An extension that crashes, or posts <c>init/error</c> or <c>exit/error</c>, fails the phase it is in
/// (<see cref="Failed"/>). The runtime's own API is <see cref="Environments.RuntimeApiSession"/>.
/// </summary>
internal sealed class ExtensionsSession
{
    /// <summary>Lambda's limit on extensions per function, external and internal together.</summary>
    public const int MaxExtensions = 10;

    private readonly Lock _gate = new();
    private readonly List<RegisteredExtension> _extensions = [];
    private readonly TaskCompletionSource _externalsRegistered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ExtensionFailure> _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<bool, byte[]> _registerResponse;
    private TaskCompletionSource? _barrier;
    private int _awaited;
    private bool _registrationClosed;
    private bool _shuttingDown;
    private int _unregisteredExternals;

    /// <param name="externalNames">The file names of the external extensions this environment starts (at most <see cref="MaxExtensions"/>).</param>
    /// <param name="registerResponse">The body <c>register</c> answers, with the account id or without (the <c>accountId</c> feature).</param>
    public ExtensionsSession(IReadOnlyList<string> externalNames, Func<bool, byte[]> registerResponse)
    {
        _registerResponse = registerResponse;
        foreach (var name in externalNames)
        {
            _extensions.Add(new RegisteredExtension(name, external: true));
        }

        _unregisteredExternals = externalNames.Count;
        if (_unregisteredExternals == 0)
        {
            _externalsRegistered.TrySetResult();
        }
    }

    /// <summary>Completes when every external extension has registered, or one failed: the runtime may start.</summary>
    public Task ExternalsRegistered => _externalsRegistered.Task;

    /// <summary>Completes with the first extension failure, in whatever phase.</summary>
    public Task<ExtensionFailure> Failed => _failed.Task;

    /// <summary>True when some extension registered for INVOKE (read after INIT, when no more can register).</summary>
    public bool HasInvokeSubscribers { get; private set; }

    /// <summary>True when an extension registered (external or internal): then a SHUTDOWN phase and the EXTENSION log lines follow.</summary>
    public bool Any { get; private set; }

    // ---- the extensions' side

    /// <summary>
    /// <c>POST /extension/register</c>. A name that is one of the external extensions registers that one (once); any other
    /// name is an internal extension, allowed until the runtime first asks for an event, never for SHUTDOWN.
    /// </summary>
    public ExtensionsApiResult Register(string name, IReadOnlyList<string> events, bool withAccountId)
    {
        if (name.Length == 0)
        {
            return ExtensionsApiResult.Forbidden("Extension.InvalidExtensionName", "Empty extension name");
        }

        var flags = ExtensionEvents.None;
        lock (_gate)
        {
            var extension = _extensions.Find(e => e.Name == name);
            var external = extension is { External: true };
            foreach (var e in events)
            {
                var parsed = e switch { "INVOKE" => ExtensionEvents.Invoke, "SHUTDOWN" => ExtensionEvents.Shutdown, _ => ExtensionEvents.None };
                if (parsed == ExtensionEvents.None || (!external && parsed == ExtensionEvents.Shutdown))
                {
                    return ExtensionsApiResult.Forbidden("Extension.InvalidEventType", $"{e}: ErrorInvalidEventType");
                }

                flags |= parsed;
            }

            if (external)
            {
                if (extension!.State != ExtensionState.Started)
                {
                    return ExtensionsApiResult.Forbidden("Extension.InvalidExtensionState", $"State transition from {extension.State} to Registered failed for extension {name}. Error: State transition is not allowed");
                }
            }
            else if (_registrationClosed || _shuttingDown)
            {
                return ExtensionsApiResult.Forbidden("Extension.RegistrationClosed", "Extension registration closed already");
            }
            else if (extension is not null)
            {
                return ExtensionsApiResult.Forbidden("Extension.InvalidExtensionState", "Extension with this name already registered");
            }
            else if (_extensions.Count >= MaxExtensions)
            {
                return ExtensionsApiResult.Forbidden("Extension.TooManyExtensions", $"Extension limit ({MaxExtensions}) reached");
            }
            else
            {
                extension = new RegisteredExtension(name, external: false);
                _extensions.Add(extension);
            }

            extension.State = ExtensionState.Registered;
            extension.Events = flags;
            extension.EventNames = [.. events];
            Any = true;
            if (external && --_unregisteredExternals == 0)
            {
                _externalsRegistered.TrySetResult();
            }

            return ExtensionsApiResult.Registered(extension.Id, _registerResponse(withAccountId));
        }
    }

    /// <summary>
    /// <c>GET /extension/event/next</c>: the extension is done with what it was doing and waits for its next event. The
    /// task completes with the event's JSON, or null when the environment stops without one for it.
    /// </summary>
    public ExtensionsApiResult Next(string id)
    {
        TaskCompletionSource<byte[]?>? replaced;
        TaskCompletionSource? barrier = null;
        Task<byte[]?> next;
        lock (_gate)
        {
            if (Find(id) is not { } extension)
            {
                return Unknown(id);
            }

            switch (extension.State)
            {
                case ExtensionState.Registered:
                case ExtensionState.Running:
                    extension.State = ExtensionState.Ready;
                    if (!_shuttingDown && _barrier is not null && --_awaited == 0)
                    {
                        (barrier, _barrier) = (_barrier, null);
                    }

                    break;
                case ExtensionState.Ready:
                    break;
                default:
                    return ExtensionsApiResult.Forbidden("Extension.InvalidExtensionState", $"State transition from {extension.State} to Ready failed for extension {id}. Error: State transition is not allowed");
            }

            replaced = extension.Parked;
            extension.Parked = null;
            if (extension.Pending is { } pending)
            {
                extension.Pending = null;
                extension.State = ExtensionState.Running;
                next = Task.FromResult<byte[]?>(pending);
            }
            else
            {
                extension.Parked = new TaskCompletionSource<byte[]?>(TaskCreationOptions.RunContinuationsAsynchronously);
                next = extension.Parked.Task;
            }
        }

        replaced?.TrySetResult(null); // one long poll per extension: a newer one takes the older one's place
        barrier?.TrySetResult();
        return ExtensionsApiResult.Event(next);
    }

    /// <summary>A parked <c>event/next</c> whose connection went away: forgotten, so the next event waits for the extension's next call.</summary>
    public void Unpark(string id, Task<byte[]?> parked)
    {
        lock (_gate)
        {
            if (Find(id) is { } extension && extension.Parked?.Task == parked)
            {
                extension.Parked = null;
            }
        }
    }

    /// <summary><c>POST /extension/init/error</c> (Extension.InitError) or <c>/extension/exit/error</c> (Extension.ExitError): the phase fails.</summary>
    public ExtensionsApiResult ReportError(string id, string errorType, bool exit)
    {
        ExtensionFailure failure;
        lock (_gate)
        {
            if (Find(id) is not { } extension)
            {
                return Unknown(id);
            }

            var state = exit ? ExtensionState.ExitError : ExtensionState.InitError;
            if (extension.State is ExtensionState.Exited or ExtensionState.InitError or ExtensionState.ExitError)
            {
                return ExtensionsApiResult.Forbidden("Extension.InvalidExtensionState", $"State transition from {extension.State} to {state} failed for extension {id}. Error: State transition is not allowed");
            }

            extension.State = state;
            failure = new ExtensionFailure(exit ? "Extension.ExitError" : "Extension.InitError", extension.Name, $"{extension.Name} reported {errorType}");
        }

        if (!_shuttingDown)
        {
            Fail(failure);
        }

        return ExtensionsApiResult.Accepted;
    }

    /// <summary>The name of the registered extension with identifier <paramref name="id"/> (who subscribes to the Telemetry API), or null.</summary>
    public string? NameOf(string id)
    {
        lock (_gate)
        {
            return Find(id) is { State: not ExtensionState.Started } extension ? extension.Name : null;
        }
    }

    // ---- the platform's side

    /// <summary>An external extension's process ended (<paramref name="how"/> as Lambda words it: "exit status 1"): a crash, unless the environment is shutting down.</summary>
    public void Exited(string name, string how)
    {
        TaskCompletionSource<byte[]?>? parked;
        TaskCompletionSource? barrier = null;
        bool crashed;
        var launchFailed = false;
        lock (_gate)
        {
            if (_extensions.Find(e => e.Name == name && e.External) is not { } extension || extension.State == ExtensionState.Exited)
            {
                return;
            }

            var before = extension.State;
            extension.State = ExtensionState.Exited;
            (parked, extension.Parked) = (extension.Parked, null);
            crashed = !_shuttingDown && before is not (ExtensionState.InitError or ExtensionState.ExitError);
            launchFailed = before == ExtensionState.Started && how is "exit status 126" or "exit status 127"; // the shell could not run it
            if (_shuttingDown && _barrier is not null && (extension.Events & ExtensionEvents.Shutdown) != 0 && --_awaited == 0)
            {
                (barrier, _barrier) = (_barrier, null);
            }
        }

        parked?.TrySetResult(null);
        barrier?.TrySetResult();
        if (crashed)
        {
            Fail(launchFailed
                ? new ExtensionFailure("Extension.LaunchError", name, $"{name} could not be started: {how} (is it an executable file?)")
                : new ExtensionFailure("Extension.Crash", name, $"{name} crashed: {how}"));
        }
    }

    /// <summary>
    /// The runtime asked for its first event: no extension may register any more. The task completes when every
    /// registered extension has called <c>event/next</c> (at once when none registered); a failure shows in <see cref="Failed"/>.
    /// </summary>
    public Task CloseRegistration()
    {
        lock (_gate)
        {
            _registrationClosed = true;
            HasInvokeSubscribers = _extensions.Exists(e => (e.Events & ExtensionEvents.Invoke) != 0);
            return Await(_extensions.Count(e => e.State == ExtensionState.Registered));
        }
    }

    /// <summary>
    /// INVOKE: the event goes to every extension registered for it (now, or on its next call). The task completes when
    /// each has called <c>event/next</c> again.
    /// </summary>
    public Task Invoke(byte[] invokeEvent)
    {
        List<TaskCompletionSource<byte[]?>> handOffs = [];
        Task done;
        lock (_gate)
        {
            var count = 0;
            foreach (var extension in _extensions)
            {
                if ((extension.Events & ExtensionEvents.Invoke) == 0 || extension.State != ExtensionState.Ready)
                {
                    continue;
                }

                count++;
                Deliver(extension, invokeEvent, handOffs);
            }

            done = Await(count);
        }

        foreach (var handOff in handOffs)
        {
            handOff.TrySetResult(invokeEvent);
        }

        return done;
    }

    /// <summary>
    /// SHUTDOWN: the event goes to every running external extension registered for it. The task completes when all of
    /// their processes have ended. From now on an extension's exit is no crash.
    /// </summary>
    public Task Shutdown(byte[] shutdownEvent)
    {
        List<TaskCompletionSource<byte[]?>> handOffs = [];
        Task done;
        lock (_gate)
        {
            _shuttingDown = true;
            _barrier = null;
            var count = 0;
            foreach (var extension in _extensions)
            {
                if (!extension.External || (extension.Events & ExtensionEvents.Shutdown) == 0 || extension.State == ExtensionState.Exited)
                {
                    continue;
                }

                count++;
                if (extension.State is ExtensionState.Ready or ExtensionState.Running or ExtensionState.Registered)
                {
                    Deliver(extension, shutdownEvent, handOffs);
                }
            }

            done = Await(count);
        }

        foreach (var handOff in handOffs)
        {
            handOff.TrySetResult(shutdownEvent);
        }

        return done;
    }

    /// <summary>The environment is gone: every parked long poll ends (the caller answers that the environment is shutting down).</summary>
    public void Close()
    {
        List<TaskCompletionSource<byte[]?>> parked = [];
        TaskCompletionSource? barrier;
        lock (_gate)
        {
            _shuttingDown = true;
            (barrier, _barrier) = (_barrier, null); // whoever waits for the extensions waits no more
            foreach (var extension in _extensions)
            {
                if (extension.Parked is { } p)
                {
                    parked.Add(p);
                    extension.Parked = null;
                }
            }
        }

        foreach (var p in parked)
        {
            p.TrySetResult(null);
        }

        barrier?.TrySetResult();
        _externalsRegistered.TrySetResult();
    }

    /// <summary>Each extension's name, state and events, in the order they were started or registered (the EXTENSION log lines).</summary>
    public IReadOnlyList<(string Name, ExtensionState State, IReadOnlyList<string> Events)> Describe()
    {
        lock (_gate)
        {
            return [.. _extensions.Select(e => (e.Name, e.State, e.EventNames))];
        }
    }

    private void Fail(ExtensionFailure failure)
    {
        _failed.TrySetResult(failure);
        _externalsRegistered.TrySetResult();
    }

    private RegisteredExtension? Find(string id) => _extensions.Find(e => e.Id == id);

    private static ExtensionsApiResult Unknown(string id) => ExtensionsApiResult.Forbidden("Extension.UnknownExtensionIdentifier", $"Unknown extension {id}");

    /// <summary>The event goes out now to a parked long poll, or waits for the extension's next call. Under the lock.</summary>
    private static void Deliver(RegisteredExtension extension, byte[] body, List<TaskCompletionSource<byte[]?>> handOffs)
    {
        if (extension.Parked is { } parked)
        {
            extension.Parked = null;
            extension.State = ExtensionState.Running;
            handOffs.Add(parked);
        }
        else
        {
            extension.Pending = body;
        }
    }

    /// <summary>A barrier for <paramref name="count"/> extensions (completed when zero). Under the lock.</summary>
    private Task Await(int count)
    {
        _awaited = count;
        if (count == 0)
        {
            _barrier = null;
            return Task.CompletedTask;
        }

        _barrier = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _barrier.Task;
    }
}

using System.Text.Json;
using LambdaCluster.Runtimes.Launch;
using LambdaCluster.Runtimes.Sandbox;

namespace LambdaCluster.Runtimes.Prestart;

/// <summary>
/// A runtime started ahead of any function: its interpreter and runtime client are loaded, and it waits in the
/// Runtime API's <c>GET /2018-06-01/runtime/assignment</c> (this node's own route) on a port of its own. A cold start
/// takes it (<see cref="Assign"/>): the function's code and layers are mounted at /var/task and /opt of its sandbox, and
/// the long poll is answered with the exact environment variables a fresh process would have been given; the runtime
/// client puts them in place, moves into /var/task and goes on as a freshly started one. From then on it is the
/// environment's process tree, and owns the slot's mounts, removed when it is disposed.
/// </summary>
internal sealed class PrestartedProcess : IEnvironmentProcess
{
    private readonly string _slot;
    private readonly SlotMountHelper? _mounts;
    private readonly TaskCompletionSource<byte[]> _assignment = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _parkedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IEnvironmentProcess? _process;
    private Action<string>? _output;
    private volatile bool _parked;
    private bool _mounted;

    /// <param name="mounts">The namespace sandboxed runtimes are built in; null unconfined (the code is then read where it is).</param>
    public PrestartedProcess(string id, PrestartKey key, int runtimeApiPort, string slot, SlotMountHelper? mounts)
    {
        Id = id;
        Key = key;
        RuntimeApiPort = runtimeApiPort;
        _slot = slot;
        _mounts = mounts;
    }

    public string Id { get; }

    public PrestartKey Key { get; }

    public int RuntimeApiPort { get; }

    /// <summary>The host folders bound at /var/task and /opt of the sandbox (empty until assigned).</summary>
    public string TaskFolder => Path.Combine(_slot, "task");

    public string OptFolder => Path.Combine(_slot, "opt");

    /// <summary>True once the runtime waits for its function and is still running.</summary>
    public bool Ready => _parked && _process is { Exited.IsCompleted: false };

    public int Pid => _process?.Pid ?? 0;

    public Task<string> Exited => _process?.Exited ?? Task.FromResult("not started");

    /// <summary>Starts the runtime through the node's launcher, its output going to the function it is given (nowhere before).</summary>
    public void Start(IEnvironmentLauncher launcher, LaunchRequest request)
    {
        Directory.CreateDirectory(TaskFolder);
        Directory.CreateDirectory(OptFolder);
        _process = launcher.Launch(request with { PrestartSlot = new PrestartSlot(_slot, _mounts?.MountNamespace) }, line => Volatile.Read(ref _output)?.Invoke(line));
    }

    /// <summary>Completes when the runtime waits for its function, it exited, or <paramref name="limit"/> passed.</summary>
    public async Task WaitUntilParkedAsync(TimeSpan limit, TimeProvider time)
    {
        await Task.WhenAny(_parkedSignal.Task, Exited, Task.Delay(limit, time));
    }

    /// <summary>The runtime's <c>GET /assignment</c>: completes with the body to answer it with once a function is assigned.</summary>
    public Task<byte[]> WaitForAssignmentAsync(CancellationToken cancellationToken)
    {
        _parked = true;
        _parkedSignal.TrySetResult();
        return _assignment.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Gives the runtime its function. Flow: mount the code (and layers) read-only at /var/task (/opt) in the sandbox →
    /// answer the long poll with <paramref name="environment"/> → the function's output goes to <paramref name="onOutputLine"/>.
    /// False, with nothing changed for the caller, when the runtime is gone or the mounts fail (the caller starts a fresh one).
    /// </summary>
    public bool Assign(string codeDirectory, string? layersDirectory, IReadOnlyDictionary<string, string> environment, Action<string> onOutputLine)
    {
        if (!Ready)
        {
            return false;
        }

        try
        {
            if (_mounts is not null)
            {
                _mounted = true;
                _mounts.BindReadOnly(codeDirectory, TaskFolder);
                if (layersDirectory is not null)
                {
                    _mounts.BindReadOnly(layersDirectory, OptFolder);
                }
            }
        }
        catch (IOException)
        {
            return false;
        }

        // /proc/PID/environ shows the function's variables too, as for a process started with them.
        // The shell that starts a fresh runtime adds PWD.
        var shown = new Dictionary<string, string>(environment) { ["PWD"] = environment["LAMBDA_TASK_ROOT"] };
        ProcessEnviron.Overwrite(_process is Sandbox.SandboxedProcess sandbox ? sandbox.Group.Members() : [_process!.Pid], shown);
        Volatile.Write(ref _output, onOutputLine);
        return _assignment.TrySetResult(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["environment"] = environment }));
    }

    public void DrainOutput() => _process?.DrainOutput();

    public void Kill() => _process?.Kill();

    public int MaxMemoryUsedMb() => _process?.MaxMemoryUsedMb() ?? 0;

    public void EndInitBurst() => _process?.EndInitBurst();

    public void Dispose()
    {
        _assignment.TrySetCanceled();
        _process?.Dispose();
        if (_mounted)
        {
            try
            {
                _mounts!.Detach(TaskFolder);
                _mounts.Detach(OptFolder);
            }
            catch (IOException)
            {
                // The helper is gone, and its namespace with every mount in it.
            }
        }

        // Folder by folder, never recursively: a mount still in place must stop the delete, not be emptied by it.
        foreach (var folder in new[] { TaskFolder, OptFolder, _slot })
        {
            try
            {
                Directory.Delete(folder);
            }
            catch (IOException)
            {
                // Still busy or already gone.
            }
        }
    }
}

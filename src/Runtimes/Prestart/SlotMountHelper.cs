using System.Diagnostics;
using System.Globalization;

namespace LambdaCluster.Runtimes.Prestart;

/// <summary>
/// The mount namespace pre-started runtimes live in, kept by a helper process (slot-mounts.py) that dies with the node,
/// so that no mount of theirs outlives a node that was killed. There the slots' folder is a shared mount; a sandbox
/// built in that namespace (<see cref="MountNamespace"/>, through nsenter) binds its slot's task and opt folders as
/// slaves of it, and a bind made there later (<see cref="BindReadOnly"/>) appears inside the sandbox
/// (mount_namespaces(7)). Commands go one at a time over the helper's stdin. Throws IOException when the helper is gone.
/// </summary>
internal sealed class SlotMountHelper : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Process _process;

    /// <summary>Starts the helper for <paramref name="slots"/> (python3 runs it) and waits until its namespace is ready.</summary>
    public SlotMountHelper(string python, string script, string slots)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(slots);
        start.Environment.Clear();
        // From the node's long-lived spawn thread: the helper's parent-death signal follows the thread that started it.
        _process = Launch.SpawnThread.Start(() => Process.Start(start) ?? throw new IOException("The slot mount helper did not start."));
        if (_process.StandardOutput.ReadLine() != "ready")
        {
            _process.Kill();
            throw new IOException("The slot mount helper could not make its mount namespace.");
        }

        MountNamespace = string.Create(CultureInfo.InvariantCulture, $"/proc/{_process.Id}/ns/mnt");
    }

    /// <summary>The helper's mount namespace (a path nsenter takes).</summary>
    public string MountNamespace { get; }

    public bool Alive => !_process.HasExited;

    /// <summary>Binds <paramref name="source"/> read-only onto <paramref name="target"/> (a folder under the slots' folder).</summary>
    public void BindReadOnly(string source, string target) => Run($"bind\t{source}\t{target}");

    /// <summary>Lazily unmounts whatever is on <paramref name="target"/>.</summary>
    public void Detach(string target) => Run($"detach\t{target}");

    public void Dispose()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private void Run(string command)
    {
        lock (_gate)
        {
            _process.StandardInput.WriteLine(command);
            _process.StandardInput.Flush();
            var answer = _process.StandardOutput.ReadLine() ?? throw new IOException("The slot mount helper is gone.");
            if (answer != "ok")
            {
                throw new IOException($"slot mount helper: {answer}");
            }
        }
    }
}

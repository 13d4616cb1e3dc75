using System.Collections.Concurrent;
using LambdaCluster.Runtimes.Catalog;
using LambdaCluster.Runtimes.Environments;
using LambdaCluster.Runtimes.Invocation;

namespace LambdaCluster.Runtimes.Snapshots;

/// <summary>
/// This node's SnapStart templates, one per version revision, made on first need (at PublishVersion on the node that
/// publishes, lazily on the others) and kept while the version lives on the node. Owned by the
/// <see cref="EnvironmentSupervisor"/>, whose Runtime API slots they use.
/// </summary>
public sealed class SnapshotTemplates
{
    private readonly EnvironmentServices _services;
    private readonly ForkConfinement? _confinement;
    private readonly Func<int?> _reserveSlot;
    private readonly Action<int> _releaseSlot;
    private readonly string _directory;
    private readonly ConcurrentDictionary<string, Lazy<SnapshotTemplate?>> _byRevision = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, SnapshotTemplate> _byPort = new();

    internal SnapshotTemplates(EnvironmentServices services, Func<int?> reserveSlot, Action<int> releaseSlot)
    {
        _services = services;
        _confinement = services.ForkConfinement;
        _reserveSlot = reserveSlot;
        _releaseSlot = releaseSlot;
        _directory = Path.Combine(services.DataDirectory, "snapshots");
    }

    /// <summary>
    /// Makes (or finds) the ready template of <paramref name="spec"/>'s revision on this node: how its INIT ended. Used
    /// at PublishVersion, so that the version is Active only once its snapshot exists.
    /// </summary>
    public async Task<TemplateReadiness> PrepareAsync(EnvironmentSpec spec, CancellationToken cancellationToken) =>
        spec.Vpc is null ? (await GetAsync(spec, cancellationToken)).Readiness : new TemplateReadiness(null, [], 0); // no template in a VPC: see Supports

    /// <summary>How many templates this node keeps (each holds a Runtime API slot and its INIT's memory).</summary>
    public int Count => _byPort.Count;

    /// <summary>
    /// Whether this node forks <paramref name="spec"/>'s environments from a template: Python runtimes only (as Lambda's
    /// SnapStart for Python), and not in a VPC (forks would share the template's network namespace and address, and
    /// reach their Runtime API through it), where each environment runs INIT itself.
    /// </summary>
    public static bool Supports(EnvironmentSpec spec, RuntimeDescriptor runtime) => runtime.Family == RuntimeFamily.Python && spec.Vpc is null;

    /// <summary>
    /// The ready template of <paramref name="spec"/>'s revision on this node, made (INIT run) when there is none yet;
    /// with how its INIT ended. A failed template is forgotten, so the next call tries again.
    /// </summary>
    internal async Task<(SnapshotTemplate? Template, TemplateReadiness Readiness)> GetAsync(EnvironmentSpec spec, CancellationToken cancellationToken)
    {
        var key = $"{spec.FunctionName}:{spec.Version}:{spec.Revision}";
        var template = _byRevision.GetOrAdd(key, k => new Lazy<SnapshotTemplate?>(() => Create(spec))).Value;
        if (template is null)
        {
            _byRevision.TryRemove(key, out _);
            return (null, new TemplateReadiness(FunctionErrorTypes.SandboxFailure, [], 0));
        }

        var readiness = await template.Ready.WaitAsync(cancellationToken);
        return (readiness.Ready ? template : null, readiness);
    }

    /// <summary>The template whose Runtime API endpoint is this local port.</summary>
    internal bool TryGetByPort(int port, out SnapshotTemplate template) => _byPort.TryGetValue(port, out template!);

    /// <summary>Stops the templates of a function's version (every version when <paramref name="version"/> is null): it was deleted or republished.</summary>
    public void Forget(string functionName, string? version)
    {
        var prefix = version is null ? $"{functionName}:" : $"{functionName}:{version}:";
        foreach (var template in _byPort.Values.Where(t => $"{t.Spec.FunctionName}:{t.Spec.Version}:".StartsWith(prefix, StringComparison.Ordinal)))
        {
            template.Stop("its version was deleted");
        }
    }

    /// <summary>Stops every template (the node is stopping).</summary>
    internal void StopAll()
    {
        foreach (var template in _byPort.Values)
        {
            template.Stop("node stopping");
        }
    }

    private SnapshotTemplate? Create(EnvironmentSpec spec)
    {
        // Each template holds a Runtime API slot and its INIT's memory: past the node's cap, the one unused longest
        // (no fork alive) makes room; its version's next cold start here makes it again.
        if (_byPort.Count >= Math.Min(_services.Options.SnapStartTemplates, Math.Max(1, _services.Options.RuntimeApiSlots / 2))
            && _byPort.Values.Where(t => t.Forks == 0 && t.Ready.IsCompleted).MinBy(t => t.LastForkAt) is { } unused)
        {
            unused.Stop("the node's template cap (Environments:SnapStartTemplates) made room for another");
        }

        if (!RuntimeCatalog.TryGet(spec.Runtime, out var runtime) || _reserveSlot() is not { } port)
        {
            return null;
        }

        var id = Guid.NewGuid().ToString("N");
        var template = new SnapshotTemplate(id, spec, runtime, port, Path.Combine(_directory, id), _confinement?.Sandboxed == true, _services, Forget, _releaseSlot);
        _byPort[port] = template;
        _ = Task.Run(template.StartAsync);
        return template;
    }

    private void Forget(SnapshotTemplate template)
    {
        foreach (var (key, lazy) in _byRevision)
        {
            if (lazy.IsValueCreated && ReferenceEquals(lazy.Value, template))
            {
                _byRevision.TryRemove(key, out _);
            }
        }

        _byPort.TryRemove(new KeyValuePair<int, SnapshotTemplate>(template.RuntimeApiPort, template)); // its port comes back once its forks are gone
    }
}

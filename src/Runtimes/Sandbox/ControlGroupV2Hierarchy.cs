using System.Globalization;

namespace LambdaCluster.Runtimes.Sandbox;

/// <summary>
/// cgroup v2: one directory per environment under a parent that delegates the memory, pids and cpu controllers
/// (https://docs.kernel.org/admin-guide/cgroup-v2.html). The parent sits at the root of the hierarchy, which is exempt
/// from the no-internal-processes rule, so the node itself need not move.
/// </summary>
internal sealed class ControlGroupV2Hierarchy : ControlGroupHierarchy
{
    private readonly string _parent;
    private readonly bool _hasCpu;

    private ControlGroupV2Hierarchy(string parent, bool hasCpu) => (_parent, _hasCpu) = (parent, hasCpu);

    public override string Description => _hasCpu ? "cgroup v2 (memory, pids, cpu)" : "cgroup v2 (memory, pids)";

    public static ControlGroupV2Hierarchy? TryOpen(string root, out string reason)
    {
        var available = File.ReadAllText(Path.Combine(root, "cgroup.controllers")).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (!available.Contains("memory") || !available.Contains("pids"))
        {
            reason = $"the cgroup v2 hierarchy at {root} lacks the memory or pids controller";
            return null;
        }

        var hasCpu = available.Contains("cpu");
        var controllers = hasCpu ? "+memory +pids +cpu" : "+memory +pids";
        try
        {
            var parent = Path.Combine(root, ParentName);
            File.WriteAllText(Path.Combine(root, "cgroup.subtree_control"), controllers);
            Directory.CreateDirectory(parent);
            File.WriteAllText(Path.Combine(parent, "cgroup.subtree_control"), controllers);
            RemoveLeftovers(parent);
            reason = "";
            return new ControlGroupV2Hierarchy(parent, hasCpu);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            reason = $"cannot create cgroup v2 groups under {root} ({e.Message})";
            return null;
        }
    }

    public override ControlGroup Create(string name, ResourceLimits limits)
    {
        var directory = Directory.CreateDirectory(Path.Combine(_parent, name)).FullName;
        Write(directory, "memory.max", limits.MemoryBytes.ToString(CultureInfo.InvariantCulture));
        WriteIfPresent(directory, "memory.swap.max", "0");
        Write(directory, "pids.max", limits.Pids.ToString(CultureInfo.InvariantCulture));
        if (_hasCpu)
        {
            Write(directory, "cpu.weight", limits.InitCpuWeight.ToString(CultureInfo.InvariantCulture)); // INIT's burst, until EndInitBurst
        }

        var peak = Path.Combine(directory, "memory.peak");
        return new ControlGroup([directory], File.Exists(peak) ? peak : Path.Combine(directory, "memory.current"), Path.Combine(directory, "cgroup.procs"), Path.Combine(directory, "cgroup.kill"),
            _hasCpu ? (Path.Combine(directory, "cpu.weight"), limits.CpuWeight.ToString(CultureInfo.InvariantCulture)) : null);
    }
}

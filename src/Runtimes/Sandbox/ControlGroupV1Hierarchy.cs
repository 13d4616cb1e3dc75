using System.Globalization;

namespace LambdaCluster.Runtimes.Sandbox;

/// <summary>
/// cgroup v1: an environment's group is a directory in each of the memory, pids and (when mounted) cpu hierarchies
/// (https://docs.kernel.org/admin-guide/cgroup-v1/memory.html, pids.html).
/// </summary>
internal sealed class ControlGroupV1Hierarchy : ControlGroupHierarchy
{
    private readonly string _memory;
    private readonly string _pids;
    private readonly string? _cpu;

    private ControlGroupV1Hierarchy(string memory, string pids, string? cpu) => (_memory, _pids, _cpu) = (memory, pids, cpu);

    public override string Description => _cpu is null ? "cgroup v1 (memory, pids)" : "cgroup v1 (memory, pids, cpu)";

    public static ControlGroupV1Hierarchy? TryOpen(string root, out string reason)
    {
        var memory = Path.Combine(root, "memory");
        var pids = Path.Combine(root, "pids");
        var cpu = Path.Combine(root, "cpu");
        if (!File.Exists(Path.Combine(memory, "memory.limit_in_bytes")) || !File.Exists(Path.Combine(pids, "cgroup.procs")))
        {
            reason = "no cgroup v1 memory and pids hierarchies";
            return null;
        }

        try
        {
            var parents = new List<string> { Path.Combine(memory, ParentName), Path.Combine(pids, ParentName) };
            var hasCpu = File.Exists(Path.Combine(cpu, "cpu.shares"));
            if (hasCpu)
            {
                parents.Add(Path.Combine(cpu, ParentName));
            }

            foreach (var parent in parents)
            {
                Directory.CreateDirectory(parent);
                RemoveLeftovers(parent);
            }

            reason = "";
            return new ControlGroupV1Hierarchy(parents[0], parents[1], hasCpu ? parents[2] : null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            reason = $"cannot create cgroup v1 groups ({e.Message})";
            return null;
        }
    }

    public override ControlGroup Create(string name, ResourceLimits limits)
    {
        var memory = Directory.CreateDirectory(Path.Combine(_memory, name)).FullName;
        var pids = Directory.CreateDirectory(Path.Combine(_pids, name)).FullName;
        var directories = new List<string> { memory, pids };
        var bytes = limits.MemoryBytes.ToString(CultureInfo.InvariantCulture);
        Write(memory, "memory.limit_in_bytes", bytes);
        WriteIfPresent(memory, "memory.memsw.limit_in_bytes", bytes); // no swap beyond the limit, where swap accounting exists
        Write(pids, "pids.max", limits.Pids.ToString(CultureInfo.InvariantCulture));
        string? sharesFile = null;
        if (_cpu is not null)
        {
            var cpu = Directory.CreateDirectory(Path.Combine(_cpu, name)).FullName;
            Write(cpu, "cpu.shares", limits.InitCpuShares.ToString(CultureInfo.InvariantCulture)); // INIT's burst, until EndInitBurst
            sharesFile = Path.Combine(cpu, "cpu.shares");
            directories.Add(cpu);
        }

        return new ControlGroup(directories, Path.Combine(memory, "memory.max_usage_in_bytes"), Path.Combine(pids, "cgroup.procs"), killFile: null,
            sharesFile is null ? null : (sharesFile, limits.CpuShares.ToString(CultureInfo.InvariantCulture)));
    }
}

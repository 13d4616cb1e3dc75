using System.Globalization;

namespace LambdaCluster.LoadTest.Bench;

/// <summary>
/// CPU time of processes from /proc (user + system, in clock ticks of 10 ms, as Linux reports them): the nodes
/// themselves, and apart from them every process below them (the function processes).
/// </summary>
public static class ProcessCpu
{
    private const double MsPerTick = 10;

    /// <summary>CPU milliseconds of the given processes, and of all their descendants, now.</summary>
    public static (double Nodes, double Descendants) Read(IReadOnlyList<int> pids)
    {
        var parents = new Dictionary<int, int>();
        var ticks = new Dictionary<int, long>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Stat(pid) is { } stat)
            {
                parents[pid] = stat.Parent;
                ticks[pid] = stat.Ticks;
            }
        }

        var nodes = pids.Sum(p => ticks.GetValueOrDefault(p));
        var descendants = ticks.Where(t => !pids.Contains(t.Key) && HasAncestor(t.Key, pids, parents)).Sum(t => t.Value);
        return (nodes * MsPerTick, descendants * MsPerTick);
    }

    private static bool HasAncestor(int pid, IReadOnlyList<int> ancestors, Dictionary<int, int> parents)
    {
        for (var depth = 0; depth < 16 && parents.TryGetValue(pid, out var parent) && parent > 1; depth++)
        {
            if (ancestors.Contains(parent))
            {
                return true;
            }

            pid = parent;
        }

        return false;
    }

    /// <summary>Fields 4 (ppid), 14 (utime) and 15 (stime) of /proc/PID/stat; the name (field 2) may hold spaces and parentheses.</summary>
    private static (int Parent, long Ticks)? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return (int.Parse(fields[1], CultureInfo.InvariantCulture), long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null; // gone meanwhile
        }
    }
}

namespace LambdaCluster.Runtimes.Sandbox;

/// <summary>
/// The control-group hierarchy this host offers environments: cgroup v2 when the unified hierarchy has the memory and
/// pids controllers, else cgroup v1's memory, pids and cpu hierarchies. Environments' groups live under one parent
/// named <see cref="ParentName"/>, so they are easy to find and a restarted node clears what a killed one left.
/// </summary>
public abstract class ControlGroupHierarchy
{
    /// <summary>The parent group of every environment's group.</summary>
    public const string ParentName = "lambda-cluster";

    /// <summary>What this is, for the node's start-up line: "cgroup v2 (memory, pids, cpu)".</summary>
    public abstract string Description { get; }

    /// <summary>Makes a group named <paramref name="name"/> with <paramref name="limits"/> set. Throws IOException or UnauthorizedAccessException when it cannot.</summary>
    public abstract ControlGroup Create(string name, ResourceLimits limits);

    /// <summary>
    /// The hierarchy under <paramref name="root"/> (normally /sys/fs/cgroup) that this process can create limited groups in,
    /// v2 first; null with the reason when there is none.
    /// </summary>
    public static ControlGroupHierarchy? Detect(string root, out string reason)
    {
        var v2Reason = "";
        if (File.Exists(Path.Combine(root, "cgroup.controllers")))
        {
            var v2 = ControlGroupV2Hierarchy.TryOpen(root, out v2Reason);
            if (v2 is not null)
            {
                reason = "";
                return v2;
            }
        }

        var v1 = ControlGroupV1Hierarchy.TryOpen(root, out var v1Reason);
        reason = v1 is null ? string.Join("; ", new[] { v2Reason, v1Reason }.Where(r => r.Length > 0)) : "";
        return v1;
    }

    /// <summary>
    /// Removes the empty groups a killed node left under <paramref name="parent"/>: a live environment's group is not
    /// empty and stays, and one younger than a minute may be another node's, made but not yet joined.
    /// </summary>
    protected static void RemoveLeftovers(string parent)
    {
        foreach (var directory in Directory.EnumerateDirectories(parent))
        {
            try
            {
                if (DateTime.UtcNow - Directory.GetCreationTimeUtc(directory) < TimeSpan.FromMinutes(1))
                {
                    continue;
                }

                Directory.Delete(directory);
            }
            catch (IOException)
            {
                // Still has members: another node's live environment.
            }
        }
    }

    /// <summary>Writes a control file that must exist (a limit the kernel does not offer would leave the group unbounded).</summary>
    protected static void Write(string directory, string file, string value) => File.WriteAllText(Path.Combine(directory, file), value);

    /// <summary>Writes a control file where the kernel offers it (swap accounting, the cpu controller's weight).</summary>
    protected static void WriteIfPresent(string directory, string file, string value)
    {
        var path = Path.Combine(directory, file);
        if (File.Exists(path))
        {
            File.WriteAllText(path, value);
        }
    }
}

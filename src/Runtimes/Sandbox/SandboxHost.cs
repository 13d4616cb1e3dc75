using LambdaCluster.Runtimes.Hosting;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Runtimes.Sandbox;

/// <summary>
/// What this host offers sandboxes, found once, when first asked (a node with <c>Environments:Isolation=None</c> never
/// asks, so never touches the control groups): bubblewrap, setpriv, nftables, root (to give each environment a user of
/// its own and a control group) and a control-group hierarchy. When something is missing, <see cref="Unavailable"/>
/// says what, and no function runs unless <c>Environments:Isolation=None</c>.
/// </summary>
public sealed class SandboxHost
{
    private readonly Lazy<(string? Unavailable, ControlGroupHierarchy? ControlGroups)> _probe;

    /// <summary>util-linux's setpriv, run inside the sandbox to become the environment's own user with no capabilities.</summary>
    public const string SetprivExecutable = "/usr/bin/setpriv";

    public SandboxHost(IOptions<EnvironmentOptions> options) : this(options.Value.BubblewrapExecutable, "/sys/fs/cgroup")
    {
    }

    internal SandboxHost(string bubblewrap, string controlGroupRoot) => _probe = new(() => Probe(bubblewrap, controlGroupRoot));

    /// <summary>Why this host cannot sandbox, or null when it can.</summary>
    public string? Unavailable => _probe.Value.Unavailable;

    /// <summary>Where environments' control groups are made (null when <see cref="Unavailable"/>).</summary>
    public ControlGroupHierarchy? ControlGroups => _probe.Value.ControlGroups;

    /// <summary>One line for the node's start-up log.</summary>
    public string Description => Unavailable is null ? $"bubblewrap namespaces, a user per environment, {ControlGroups!.Description}" : $"unavailable: {Unavailable}";

    private static (string?, ControlGroupHierarchy?) Probe(string bubblewrap, string controlGroupRoot)
    {
        if (!File.Exists(bubblewrap))
        {
            return ($"bubblewrap is not installed ({bubblewrap}; Debian: apt-get install bubblewrap)", null);
        }

        if (!File.Exists(SetprivExecutable))
        {
            return ($"setpriv is not installed ({SetprivExecutable}; Debian: util-linux)", null);
        }

        if (!File.Exists(NetworkGuard.NftExecutable))
        {
            return ($"nftables is not installed ({NetworkGuard.NftExecutable}; Debian: apt-get install nftables)", null);
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return ("the node is not running as root (it needs root to give environments their own users and control groups)", null);
        }

        var groups = ControlGroupHierarchy.Detect(controlGroupRoot, out var reason);
        return (groups is null ? reason : null, groups);
    }
}

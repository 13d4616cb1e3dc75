using LambdaCluster.Runtimes.Hosting;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Runtimes.Sandbox;

/// <summary>
/// What this host offers sandboxes, found once at start: bubblewrap, setpriv, root (to give each environment a user
/// of its own and a control group) and a control-group hierarchy. When something is missing, <see cref="Unavailable"/>
/// says what, and no function runs unless <c>Environments:Isolation=None</c>.
/// </summary>
public sealed class SandboxHost
{
    /// <summary>util-linux's setpriv, run inside the sandbox to become the environment's own user with no capabilities.</summary>
    public const string SetprivExecutable = "/usr/bin/setpriv";

    public SandboxHost(IOptions<EnvironmentOptions> options) : this(options.Value.BubblewrapExecutable, "/sys/fs/cgroup")
    {
    }

    internal SandboxHost(string bubblewrap, string controlGroupRoot)
    {
        if (!File.Exists(bubblewrap))
        {
            Unavailable = $"bubblewrap is not installed ({bubblewrap}; Debian: apt-get install bubblewrap)";
        }
        else if (!File.Exists(SetprivExecutable))
        {
            Unavailable = $"setpriv is not installed ({SetprivExecutable}; Debian: util-linux)";
        }
        else if (!File.Exists(NetworkGuard.NftExecutable))
        {
            Unavailable = $"nftables is not installed ({NetworkGuard.NftExecutable}; Debian: apt-get install nftables)";
        }
        else if (!Environment.IsPrivilegedProcess)
        {
            Unavailable = "the node is not running as root (it needs root to give environments their own users and control groups)";
        }
        else
        {
            ControlGroups = ControlGroupHierarchy.Detect(controlGroupRoot, out var reason);
            Unavailable = ControlGroups is null ? reason : null;
        }
    }

    /// <summary>Why this host cannot sandbox, or null when it can.</summary>
    public string? Unavailable { get; }

    /// <summary>Where environments' control groups are made (null when <see cref="Unavailable"/>).</summary>
    public ControlGroupHierarchy? ControlGroups { get; }

    /// <summary>One line for the node's start-up log.</summary>
    public string Description => Unavailable is null ? $"bubblewrap namespaces, a user per environment, {ControlGroups!.Description}" : $"unavailable: {Unavailable}";
}

using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Runtimes.Invocation;
using LambdaCluster.Runtimes.Sandbox;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Runtimes.Snapshots;

/// <summary>
/// What the node does from outside for an environment forked from a SnapStart template in a sandbox (the fork does
/// the rest from inside, lambda_cluster_fork.py): a control group of its own, and a network rule that lets the
/// template's user reach the fork's Runtime API port for as long as the fork lives. Unconfined nodes do neither.
/// </summary>
public sealed class ForkConfinement(IOptions<EnvironmentOptions> options, SandboxHost host, NetworkGuard network)
{
    /// <summary>True when environments run in sandboxes (templates and their forks included).</summary>
    public bool Sandboxed => options.Value.Isolation == IsolationMode.Sandbox;

    /// <summary>A control group bounding the fork as a fresh sandbox is bounded (<see cref="ResourceLimits"/>). Throws when the host has none.</summary>
    internal ControlGroup CreateGroup(string environmentId, EnvironmentSpec spec) =>
        (host.ControlGroups ?? throw new SandboxUnavailableException(host.Unavailable ?? "no control groups")).Create(environmentId, ResourceLimits.For(spec, options.Value.PidsLimit));

    /// <summary>Lets the template's user reach <paramref name="forkPort"/> (nft; throws InvalidOperationException when refused).</summary>
    internal void Allow(int templatePort, int forkPort) => network.Allow(templatePort, forkPort);

    internal void Revoke(int templatePort, int forkPort) => network.Revoke(templatePort, forkPort);
}

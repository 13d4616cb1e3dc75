using System.Net;

namespace LambdaCluster.Runtimes.Vpc;

/// <summary>
/// One environment's place on a subnet: its network namespace (<see cref="NamespacePath"/>, entered before the sandbox
/// is built), its address there, and the node's address it reaches its Runtime API at. Disposing takes it all away.
/// </summary>
public sealed class NetworkAttachment(string namespacePath, SubnetOptions subnet, IPAddress address, int runtimeApiPort, Action<NetworkAttachment> detach) : IDisposable
{
    private int _disposed;

    /// <summary>The bind-mounted network namespace (/run/netns/...), for nsenter --net.</summary>
    public string NamespacePath { get; } = namespacePath;

    /// <summary>The subnet chosen for the environment.</summary>
    public SubnetOptions Subnet { get; } = subnet;

    /// <summary>The environment's address on the subnet.</summary>
    public IPAddress Address { get; } = address;

    /// <summary>The environment's Runtime API port (on <see cref="Host"/>).</summary>
    public int RuntimeApiPort { get; } = runtimeApiPort;

    /// <summary>The node's address on the subnet, where the environment reaches its Runtime API.</summary>
    public IPAddress Host => Subnet.Host;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            detach(this);
        }
    }
}

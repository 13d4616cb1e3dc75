using System.Runtime.CompilerServices;

namespace LambdaCluster.Grains.Cluster;

/// <summary>
/// One invocation a gateway-only process has in flight on <see cref="Silo"/>, counted by <see cref="ClientSilos"/> until
/// disposed; disposing it again changes nothing.
/// </summary>
public sealed class SiloCall(SiloAddress silo, StrongBox<int> inFlight) : IDisposable
{
    private int _disposed;

    public SiloAddress Silo => silo;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Interlocked.Decrement(ref inFlight.Value);
        }
    }
}

using System.Runtime.CompilerServices;

namespace LambdaCluster.Grains.Cluster;

/// <summary>
/// One invocation a gateway-only process has in flight on <see cref="Silo"/>, counted by <see cref="ClientSilos"/> until
/// disposed (once: it is a struct, so dispose the copy that was returned).
/// </summary>
public readonly struct SiloCall(SiloAddress silo, StrongBox<int> inFlight) : IDisposable
{
    public SiloAddress Silo => silo;

    public void Dispose() => Interlocked.Decrement(ref inFlight.Value);
}

using System.Net;
using System.Net.Sockets;

namespace LambdaCluster.Tests.Support;

/// <summary>Loopback ports free at the moment of asking (callers retry when another process takes one first).</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

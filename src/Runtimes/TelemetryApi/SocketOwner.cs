using System.Globalization;
using System.Net;

namespace LambdaCluster.Runtimes.TelemetryApi;

/// <summary>
/// Who owns the far end of a loopback TCP connection, from the kernel's socket table (/proc/net/tcp: the socket whose local
/// address is the connection's remote one and whose remote address is its local one, and that socket's uid).
/// </summary>
internal static class SocketOwner
{
    /// <summary>The uid owning the peer of the connection from <paramref name="local"/> to <paramref name="remote"/>, or null when not found.</summary>
    public static int? Of(IPEndPoint local, IPEndPoint remote, string table = "/proc/net/tcp")
    {
        var wantedLocal = Hex(remote);
        var wantedRemote = Hex(local);
        foreach (var line in File.ReadLines(table).Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 7 && fields[1] == wantedLocal && fields[2] == wantedRemote)
            {
                return int.Parse(fields[7], NumberStyles.None, CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    /// <summary>An IPv4 endpoint as /proc/net/tcp writes it: the address's bytes in host (little-endian) order, then the port, in upper-case hex.</summary>
    internal static string Hex(IPEndPoint endPoint)
    {
        var bytes = endPoint.Address.MapToIPv4().GetAddressBytes();
        return string.Create(CultureInfo.InvariantCulture, $"{bytes[3]:X2}{bytes[2]:X2}{bytes[1]:X2}{bytes[0]:X2}:{endPoint.Port:X4}");
    }
}

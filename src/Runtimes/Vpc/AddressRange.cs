using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace LambdaCluster.Runtimes.Vpc;

/// <summary>IPv4 arithmetic on <see cref="IPNetwork"/> ranges.</summary>
public static class AddressRange
{
    /// <summary>The address <paramref name="offset"/> after <paramref name="address"/> (IPv4).</summary>
    public static IPAddress Offset(IPAddress address, long offset) => FromNumber(ToNumber(address) + offset);

    /// <summary>How many addresses <paramref name="network"/> holds.</summary>
    public static long Size(IPNetwork network) => 1L << (32 - network.PrefixLength);

    /// <summary>The address as a number (IPv4, network order read as big-endian).</summary>
    public static long ToNumber(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork
            ? BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes())
            : throw new ArgumentException($"{address} is not an IPv4 address.", nameof(address));

    /// <summary>The IPv4 address of a number made by <see cref="ToNumber"/>.</summary>
    public static IPAddress FromNumber(long number)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)number);
        return new IPAddress(bytes);
    }
}

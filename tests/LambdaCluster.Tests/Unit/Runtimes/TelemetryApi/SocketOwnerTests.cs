using System.Globalization;
using System.Net;
using System.Net.Sockets;
using LambdaCluster.Runtimes.TelemetryApi;
using Xunit;

namespace LambdaCluster.Tests.Unit.Runtimes.TelemetryApi;

/// <summary>The check that keeps telemetry from a listener another environment put on an environment's address.</summary>
[Trait("Category", "Unit")]
public sealed class SocketOwnerTests
{
    [Fact]
    public async Task TheFarEndOfALoopbackConnection_IsOwnedByItsListenersUser()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        using var accepted = await listener.AcceptSocketAsync();

        var uid = int.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        Assert.Equal(uid, SocketOwner.Of((IPEndPoint)client.LocalEndPoint!, (IPEndPoint)client.RemoteEndPoint!));
        Assert.Null(SocketOwner.Of((IPEndPoint)client.LocalEndPoint!, new IPEndPoint(IPAddress.Parse("127.1.2.3"), 9))); // nobody there
    }

    [Fact]
    public void Endpoints_AreWrittenAsTheKernelWritesThem() =>
        Assert.Equal("0302017F:1093", SocketOwner.Hex(new IPEndPoint(IPAddress.Parse("127.1.2.3"), 4243)));
}

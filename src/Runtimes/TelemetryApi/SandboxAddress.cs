using System.Globalization;
using System.Net;

namespace LambdaCluster.Runtimes.TelemetryApi;

/// <summary>
/// What <c>sandbox.localdomain</c> is inside one sandboxed environment: a loopback address of its own, 127.1.x.y from its
/// Runtime API port, so that the listeners of two environments (each binding sandbox.localdomain:4243, as AWS's samples
/// do) never collide in the node's network namespace. The node delivers telemetry there, after checking that the
/// socket it reached belongs to the environment's user (<see cref="SocketOwner"/>): another environment binding the
/// address first gets nothing.
/// </summary>
internal static class SandboxAddress
{
    /// <summary>The host names Lambda resolves to the environment itself.</summary>
    public static readonly string[] HostNames = ["sandbox.localdomain", "sandbox"];

    public static IPAddress For(int runtimeApiPort) => new([127, 1, (byte)(runtimeApiPort >> 8), (byte)(runtimeApiPort & 0xff)]);

    /// <summary>The environment's /etc/hosts: the host's, and its own address under <see cref="HostNames"/>.</summary>
    public static string HostsFile(string? hostHosts, int runtimeApiPort) =>
        string.Create(CultureInfo.InvariantCulture, $"{hostHosts?.TrimEnd()}\n{For(runtimeApiPort)}\t{string.Join(' ', HostNames)}\n");
}

using System.Net;
using System.Net.Sockets;

namespace LambdaCluster.Runtimes.TelemetryApi;

/// <summary>
/// Carries batches to subscribers' listeners on their environments' own addresses (<see cref="SandboxAddress"/>): one HTTP
/// client for the node (connections pooled per listener), and plain TCP connections for the <c>TCP</c> protocol. Every new
/// connection is checked to end at a socket of the environment's user (<see cref="SocketOwner"/>) before anything is sent.
/// </summary>
internal sealed class TelemetryTransport
{
    private static readonly HttpRequestOptionsKey<int> OwnerKey = new("LambdaCluster.TelemetryOwner");
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The node's one transport (declared after the fields its constructor reads).</summary>
    public static readonly TelemetryTransport Shared = new();

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        ConnectTimeout = TimeSpan.FromSeconds(2),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        ConnectCallback = ConnectAsync,
    })
    {
        Timeout = SendTimeout,
    };

    /// <summary>POSTs a batch (a JSON array) to <c>http://address:port/path</c>; throws when it cannot be delivered or the listener answers 4xx/5xx.</summary>
    public async Task PostAsync(IPAddress address, int? owner, TelemetryDestination destination, byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new UriBuilder(Uri.UriSchemeHttp, address.ToString(), destination.Port).Uri + destination.PathAndQuery.TrimStart('/'))
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (owner is { } uid)
        {
            request.Options.Set(OwnerKey, uid);
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken); // its body is never read
        if ((int)response.StatusCode >= 400)
        {
            throw new HttpRequestException($"the listener answered {(int)response.StatusCode}");
        }
    }

    /// <summary>A TCP connection to the subscriber's port, checked like an HTTP one; the caller writes newline-delimited records to it.</summary>
    public static async Task<Stream> ConnectTcpAsync(IPAddress address, int port, int? owner, CancellationToken cancellationToken)
    {
        var socket = await ConnectCheckedAsync(new IPEndPoint(address, port), owner, cancellationToken);
        return new NetworkStream(socket, ownsSocket: true);
    }

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        int? owner = context.InitialRequestMessage.Options.TryGetValue(OwnerKey, out var uid) ? uid : null;
        var socket = await ConnectCheckedAsync(new IPEndPoint(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port), owner, cancellationToken);
        return new NetworkStream(socket, ownsSocket: true);
    }

    private static async Task<Socket> ConnectCheckedAsync(IPEndPoint endPoint, int? owner, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken);
            if (owner is { } uid && SocketOwner.Of((IPEndPoint)socket.LocalEndPoint!, (IPEndPoint)socket.RemoteEndPoint!) != uid)
            {
                throw new HttpRequestException($"the listener at {endPoint} is not the environment's");
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

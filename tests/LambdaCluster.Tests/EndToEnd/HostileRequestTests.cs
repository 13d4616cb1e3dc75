using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// Requests no SDK would send: deeply nested and invalid-UTF-8 bodies, oversized headers and paths, and a client that never
/// finishes its request. Each is refused with Lambda's error (or HTTP's, before Lambda would see it), and nothing changes.
/// tests/LambdaCluster.LoadTest/fuzz.py does the same at volume over every operation (a command of its own, ~1 minute:
/// the suite's 15-minute budget has no room for it).
/// </summary>
[Collection(NodeCollection.Name), Trait("Category", "EndToEnd")]
public sealed class HostileRequestTests(NodeFixture fixture)
{
    private static readonly HttpClient Http = new();

    private NodeProcess Node => fixture.Node;

    [Fact]
    public async Task MalformedBodies_GetInvalidRequestContent_AndCreateNothing()
    {
        var before = await ListFunctionsAsync();

        foreach (var body in new[]
        {
            Encoding.ASCII.GetBytes(new string('[', 100_000) + new string(']', 100_000)),
            Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 5000)) + "1" + new string('}', 5000)),
            [0xff, 0xfe, (byte)'{', (byte)'"', 0xc3, 0x28, (byte)'"', (byte)'}'],
            "{\"FunctionName\":\"hostile\",\"Runtime\":"u8.ToArray(),
        })
        {
            using var request = Tools.Signed(Node.Endpoint, HttpMethod.Post, "/2015-03-31/functions", body);
            using var response = await Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("InvalidRequestContentException", response.Headers.GetValues("X-Amzn-ErrorType").Single());
            Assert.Contains("Could not parse request body into json", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(before, await ListFunctionsAsync());
    }

    [Fact]
    public async Task OversizedHeadersAndPaths_AreRefusedBeforeTheyReachAnything()
    {
        var before = await ListFunctionsAsync();

        using (var request = Tools.Signed(Node.Endpoint, HttpMethod.Post, "/2015-03-31/functions/any/invocations", "{}"u8.ToArray()))
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Client-Context", new string('A', 64 * 1024));
            using var response = await Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        }

        using (var request = Tools.Signed(Node.Endpoint, HttpMethod.Get, "/2015-03-31/functions/" + new string('f', 16 * 1024), []))
        {
            using var response = await Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
        }

        Assert.Equal(before, await ListFunctionsAsync());
    }

    [Fact]
    public async Task SlowClients_DoNotHoldUpOthers()
    {
        var endpoint = new Uri(Node.Endpoint);
        var slow = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, endpoint.Port);
                await client.GetStream().WriteAsync("POST /2015-03-31/functions HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n"u8.ToArray());
                slow.Add(client);
            }

            // Twenty half-sent requests are open; everyone else is still served.
            for (var i = 0; i < 5; i++)
            {
                Assert.NotNull(await ListFunctionsAsync());
            }
        }
        finally
        {
            slow.ForEach(c => c.Dispose());
        }
    }

    private async Task<string> ListFunctionsAsync()
    {
        using var request = Tools.Signed(Node.Endpoint, HttpMethod.Get, "/2015-03-31/functions", []);
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var names = Tools.Json(await response.Content.ReadAsStringAsync()).GetProperty("Functions").EnumerateArray().Select(f => f.GetProperty("FunctionName").GetString());
        return string.Join(',', names.Order());
    }
}

using System.Text;
using System.Text.Json;
using LambdaCluster.Gateway.Streaming;
using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// The gateway's event-stream encoder against the AWS SDK for JavaScript's decoder (js/eventstream-decode.mjs, which
/// checks the prelude and message CRCs): empty, binary, multi-byte-header and 1 MB payloads come back byte for byte.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class EventStreamCodecTests
{
    [Fact]
    public async Task EncodedMessages_AreDecodedByTheSdk_ByteForByte()
    {
        var binary = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var large = new byte[1024 * 1024];
        new Random(7).NextBytes(large);
        (string Name, string Value)[][] headerSets =
        [
            [(":event-type", "PayloadChunk"), (":content-type", "application/octet-stream"), (":message-type", "event")],
            [(":event-type", "InvokeComplete"), (":content-type", "application/json"), (":message-type", "event")],
            [(":event-type", "PayloadChunk"), ("x-unicode-é", "värde ✓"), (":message-type", "event")],
        ];
        (int Headers, byte[] Payload)[] messages = [(0, []), (0, binary), (1, Encoding.UTF8.GetBytes("{\"ErrorCode\":\"\"}")), (2, large)];

        var file = Path.Combine(Path.GetTempPath(), $"eventstream-{Guid.NewGuid():N}.bin");
        await using (var output = File.Create(file))
        {
            foreach (var (headers, payload) in messages)
            {
                await output.WriteAsync(EventStreamMessage.Encode(headerSets[headers], payload));
            }
        }

        try
        {
            var run = await Tools.RunAsync("node", [Tools.RepositoryFile("tests", "LambdaCluster.Tests", "EndToEnd", "js", "eventstream-decode.mjs"), file],
                new() { ["NODE_PATH"] = Tools.RepositoryFile("tests", "LambdaCluster.Tests", "EndToEnd", "js", "node_modules") });
            Assert.True(run.ExitCode == 0, run.Stderr);
            var decoded = JsonDocument.Parse(run.Stdout).RootElement.EnumerateArray().ToList();
            Assert.Equal(messages.Length, decoded.Count);
            for (var i = 0; i < messages.Length; i++)
            {
                var headers = decoded[i].GetProperty("headers").EnumerateObject().Select(h => (h.Name, h.Value.GetString()!)).ToArray();
                Assert.Equal(headerSets[messages[i].Headers], headers);
                Assert.Equal(messages[i].Payload, Convert.FromBase64String(decoded[i].GetProperty("payload").GetString()!));
            }
        }
        finally
        {
            File.Delete(file);
        }
    }
}

using System.Diagnostics;
using System.Text;
using LambdaCluster.Tests.Support;
using Xunit;

namespace LambdaCluster.Tests.Cluster;

/// <summary>Streamed responses across silos: parts reach an Orleans client as written, and a client that stops reading stops the function.</summary>
[Collection(ClusterCollection.Name), Trait("Category", "Cluster")]
public sealed class StreamingTests(ClusterFixture fixture)
{
    /// <summary>Writes parts; with a gate (a file path under its private /tmp), waits after the first one until the reader has created that file in its sandbox.</summary>
    private const string Streamer = """
        import fs from 'node:fs';
        const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
        export const handler = awslambda.streamifyResponse(async (event, stream) => {
          for (let i = 0; i < (event.n ?? 1e9); i++) {
            stream.write(`part ${i}\n`);
            for (let w = 0; i === 0 && event.gate && w < 500 && !fs.existsSync(event.gate); w++) await sleep(20);
            if (i === 0 && event.gate && !fs.existsSync(event.gate)) throw new Error('the first part never reached the reader');
            await sleep(100);
          }
          stream.end();
        });
        """;

    private readonly ClusterInvocations _calls = new(fixture);

    [Fact]
    public async Task StreamedParts_ReachTheClient_AsTheFunctionWritesThem()
    {
        await ClusterFunctions.CreateNodeAsync(fixture, "cluster-streamer", Streamer);

        // Three at once, so that environments on more than one silo stream back. Each function waits, after its first
        // part, for the reader to have received it (the gate file): the parts cross silos as they are written.
        var runs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ReadAllAsync("cluster-streamer", n: 3)));

        foreach (var parts in runs)
        {
            Assert.Equal("application/octet-stream", parts[0].Part.ContentType);
            var chunks = parts.Where(p => p.Part.Chunk is not null).ToList();
            Assert.Equal("part 0\npart 1\npart 2\n", string.Concat(chunks.Select(c => Encoding.UTF8.GetString(c.Part.Chunk!))));
            Assert.Null(parts[^1].Part.Completion!.FunctionError);
            Assert.True(parts[^1].Part.Completion!.Streamed);
        }
    }

    [Fact]
    public async Task AClientThatStopsReading_StopsTheFunction()
    {
        const string name = "cluster-streamer-abandoned";
        await ClusterFunctions.CreateNodeAsync(fixture, name, Streamer);

        var chunks = 0;
        await foreach (var part in _calls.InvokeStreamingAsync(name, new { }))
        {
            if (part.Chunk is not null && ++chunks == 2)
            {
                break; // leaving the loop disposes the enumeration: the environment's silo abandons the invocation
            }
        }

        await Waits.UntilAsync("the abandoned function's environment to be gone",
            () => Task.FromResult(fixture.LiveEnvironments().Count(e => e.Environment.Spec.FunctionName == name)),
            count => count == 0,
            TimeSpan.FromSeconds(10));
    }

    private async Task<List<(TimeSpan At, Runtimes.Invocation.ResponseStreamPart Part)>> ReadAllAsync(string function, int n)
    {
        var gate = $"cluster-gate-{Guid.NewGuid():N}";
        var clock = Stopwatch.StartNew();
        var parts = new List<(TimeSpan, Runtimes.Invocation.ResponseStreamPart)>();
        var opened = false;
        await foreach (var part in _calls.InvokeStreamingAsync(function, new { n, gate = "/tmp/" + gate }))
        {
            parts.Add((clock.Elapsed, part));
            if (part.Chunk is not null && !opened)
            {
                opened = SandboxFiles.Touch(function, gate) > 0;
            }
        }

        return parts;
    }
}

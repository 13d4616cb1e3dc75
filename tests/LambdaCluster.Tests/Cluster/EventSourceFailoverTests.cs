using LambdaCluster.Grains.EventSources;
using LambdaCluster.Grains.Streams;
using LambdaCluster.Runtimes.Logs;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Placement;
using Xunit;

namespace LambdaCluster.Tests.Cluster;

/// <summary>A stream mapping's poller moves with its grain: when its silo dies it resumes on another from the persisted checkpoint.</summary>
[Collection(ClusterCollection.Name), Trait("Category", "Cluster")]
public sealed class EventSourceFailoverTests(ClusterFixture fixture)
{
    [Fact]
    public async Task StreamMapping_ResumesFromItsCheckpoint_AfterItsSiloIsKilled()
    {
        const string stream = "failover-stream";
        const string function = "failover-stream-consumer";
        try
        {
            // The function logs the data of every record it gets; its log group is in the Redis every silo shares.
            await ClusterFunctions.CreatePythonAsync(fixture, function, """
                import base64
                def handler(event, context):
                    for r in event["Records"]:
                        print("processed " + base64.b64decode(r["kinesis"]["data"]).decode())
                """);
            await fixture.Client.GetGrain<IStreamGrain>(stream).CreateAsync(1);
            await PutAsync(stream, 1, 6);

            // The mapping's grain starts on the second silo (a placement hint), which is then killed.
            var victim = fixture.Cluster.Silos[1];
            var uuid = Guid.NewGuid().ToString();
            var mapping = fixture.Client.GetGrain<IEventSourceMappingGrain>(uuid);
            RequestContext.Set(IPlacementDirector.PlacementHintKey, victim.SiloAddress);
            await mapping.PutAsync(new EventSourceMapping
            {
                Uuid = uuid,
                EventSourceArn = $"arn:aws:kinesis:us-east-1:000000000000:stream/{stream}",
                FunctionName = function,
                StartingPosition = "TRIM_HORIZON",
                BatchSize = 2,
                LastModified = DateTimeOffset.UtcNow,
            });
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
            Assert.Equal(victim.SiloAddress, await fixture.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(mapping));

            await Waits.UntilAsync("records 1-6 processed", async () => (await LinesAsync(function)).Count, count => count >= 6, TimeSpan.FromSeconds(30));
            await fixture.KillSiloAsync(victim);
            await PutAsync(stream, 7, 10);

            // A surviving silo's poller keeper wakes the mapping, which resumes after its checkpoint, not from the start.
            await Waits.UntilAsync("records 7-10 processed after the failover", () => LinesAsync(function), lines => Enumerable.Range(7, 4).All(n => lines.Contains($"{n}")), TimeSpan.FromSeconds(60));
            var lines = await LinesAsync(function);
            // Batches of two: 1-2 and 3-4 were checkpointed before the kill; 5-6 may run again if the kill came between
            // the run and its checkpoint (at least once).
            Assert.All(Enumerable.Range(1, 4), n => Assert.Equal(1, lines.Count(l => l == $"{n}")));
            Assert.Equal(Enumerable.Range(1, 10).Select(n => $"{n}"), lines.Distinct());
            await mapping.DeleteAsync();
        }
        finally
        {
            await fixture.Cluster.StartAdditionalSiloAsync();
        }
    }

    private Task PutAsync(string stream, int from, int to) =>
        fixture.Client.GetGrain<IStreamGrain>(stream).PutAsync(Enumerable.Range(from, to - from + 1).Select(n => ("key", (string?)null, System.Text.Encoding.UTF8.GetBytes($"{n}"))).ToList());

    /// <summary>The record data the function logged ("processed N" lines), from every log stream of its group, read from the first silo (never the victim).</summary>
    private async Task<List<string>> LinesAsync(string function)
    {
        var logs = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<ILogStore>();
        var group = $"/aws/lambda/{function}";
        var lines = new List<string>();
        foreach (var stream in await logs.DescribeStreamsAsync(group, CancellationToken.None) ?? [])
        {
            foreach (var logged in await logs.ReadStreamAsync(group, stream.Name, CancellationToken.None) ?? [])
            {
                if (logged.Message.StartsWith("processed ", StringComparison.Ordinal))
                {
                    lines.Add(logged.Message["processed ".Length..].Trim());
                }
            }
        }

        return lines;
    }
}

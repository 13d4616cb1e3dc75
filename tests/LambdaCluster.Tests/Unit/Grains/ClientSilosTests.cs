using System.Net;
using LambdaCluster.Grains.Cluster;
using Xunit;

namespace LambdaCluster.Tests.Unit.Grains;

/// <summary>
/// A gateway-only process sends each invocation to the silo with the fewest of its calls in flight, ties taken in turn,
/// so that every silo's share of the concurrency stays even (and within its own warm environments).
/// </summary>
[Trait("Category", "Unit")]
public sealed class ClientSilosTests
{
    private static readonly SiloAddress[] Silos = [.. new[] { 11111, 11112, 11113 }.Select(p => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, p), 1))];

    [Fact]
    public async Task Calls_GoToTheSiloWithTheFewestInFlight()
    {
        var silos = Known(Silos);
        var open = new List<SiloCall>();
        for (var i = 0; i < 30; i++)
        {
            open.Add(await Start(silos));
        }

        Assert.All(Silos, s => Assert.Equal(10, open.Count(c => c.Silo.Equals(s))));

        // Two calls end on the second silo: the next two go there, whoever's turn it is.
        foreach (var call in open.Where(c => c.Silo.Equals(Silos[1])).Take(2).ToList())
        {
            call.Dispose();
            open.Remove(call);
        }

        Assert.Equal(Silos[1], (await Start(silos)).Silo);
        Assert.Equal(Silos[1], (await Start(silos)).Silo);
    }

    [Fact]
    public async Task IdleSilos_TakeTurns()
    {
        var silos = Known(Silos);
        var chosen = new List<SiloAddress>();
        for (var i = 0; i < 6; i++)
        {
            using var call = await Start(silos);
            chosen.Add(call.Silo);
        }

        Assert.All(Silos, s => Assert.Equal(2, chosen.Count(c => c.Equals(s))));
    }

    [Fact]
    public async Task ASiloThatStaysActive_KeepsItsCallsInFlight_AndOneThatLeft_IsNoLongerChosen()
    {
        var silos = Known(Silos);
        var first = await Start(silos);
        silos.Update([Silos[2], Silos[1], Silos[0]]); // the same silos, another order
        var others = new[] { await Start(silos), await Start(silos) };
        Assert.DoesNotContain(first.Silo, others.Select(c => c.Silo));

        silos.Update([Silos[0]]);
        Assert.Equal(Silos[0], (await Start(silos)).Silo);
        Assert.Equal(Silos[0], (await Start(silos)).Silo);
    }

    private static ClientSilos Known(IEnumerable<SiloAddress> active)
    {
        var silos = new ClientSilos(null!); // the grain factory is asked only while no silo is known
        silos.Update(active);
        return silos;
    }

    private static async Task<SiloCall> Start(ClientSilos silos) => await silos.StartCallAsync() ?? throw new InvalidOperationException("no silo");
}

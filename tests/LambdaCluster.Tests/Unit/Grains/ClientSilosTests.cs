using System.Net;
using LambdaCluster.Grains.Cluster;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace LambdaCluster.Tests.Unit.Grains;

/// <summary>
/// A gateway-only process sends each invocation to the silo with the fewest of its calls in flight, ties taken in turn,
/// so that every silo's share of the concurrency stays even (and within its own warm environments); a silo a call found
/// unreachable is passed over for a while, since it answers at once and so has the fewest in flight.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ClientSilosTests
{
    private static readonly SiloAddress[] Silos = [.. new[] { 11111, 11112, 11113 }.Select(p => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, p), 1))];

    private readonly FakeTimeProvider _time = new();

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

    [Fact]
    public async Task AnUnreachableSilo_IsPassedOver_UntilItsShunningEnds()
    {
        var silos = Known(Silos);
        silos.Unreachable(Silos[0]);
        var chosen = new List<SiloAddress>();
        for (var i = 0; i < 6; i++)
        {
            using var call = await Start(silos); // ended at once, as a call to a crashed silo is: the fewest in flight
            chosen.Add(call.Silo);
        }

        Assert.DoesNotContain(Silos[0], chosen);

        _time.Advance(ClientSilos.Shunned);
        using var first = await Start(silos);
        using var second = await Start(silos);
        using var third = await Start(silos);
        Assert.Contains(Silos[0], new[] { first.Silo, second.Silo, third.Silo });
    }

    [Fact]
    public async Task WhenEverySiloIsShunned_TheLeastBusyStillTakesTheCall()
    {
        var silos = Known(Silos);
        using var busy = await Start(silos);
        foreach (var silo in Silos)
        {
            silos.Unreachable(silo);
        }

        using var call = await Start(silos);
        Assert.NotEqual(busy.Silo, call.Silo);
    }

    [Fact]
    public async Task ACallDisposedTwice_CountsOnce()
    {
        var silos = Known(Silos);
        var call = await Start(silos);
        call.Dispose();
        call.Dispose();
        var open = new List<SiloCall>();
        for (var i = 0; i < 6; i++)
        {
            open.Add(await Start(silos));
        }

        // A silo counted below zero would take one call more than the others.
        Assert.All(Silos, s => Assert.Equal(2, open.Count(c => c.Silo.Equals(s))));
    }

    private ClientSilos Known(IEnumerable<SiloAddress> active)
    {
        var silos = new ClientSilos(null!, _time); // the grain factory is asked only while no silo is known
        silos.Update(active);
        return silos;
    }

    private static async Task<SiloCall> Start(ClientSilos silos) => await silos.StartCallAsync() ?? throw new InvalidOperationException("no silo");
}

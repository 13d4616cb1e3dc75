using System.Net;
using LambdaCluster.Grains.Invocation;
using LambdaCluster.Grains.Pool;
using Xunit;

namespace LambdaCluster.Tests.Unit.Grains;

/// <summary>
/// A lease is one grant of one environment to one holder: the pool ends it only for the grant it made last, and a
/// dispatcher never holds two leases on one environment (the earlier grant is the stale one).
/// </summary>
[Trait("Category", "Unit")]
public sealed class LeaseGrantTests
{
    private static readonly SiloAddress Silo = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), 1);

    [Fact]
    public void Pool_IgnoresARelease_OfAGrantItAlreadyTookBack()
    {
        var table = new EnvironmentTable();
        var entry = table.MarkLeased(table.Add(new PoolEntry("env-1", Silo, "r1", provisioned: false) { Ready = true }));
        var first = entry.LeaseId;

        Assert.True(table.EndLease(entry, first));
        Assert.False(table.EndLease(entry, first)); // the same release, twice
        table.HandOverOrIdle(entry, DateTimeOffset.UnixEpoch);
        var again = table.LeaseIdle(Silo, "r1");

        Assert.Same(entry, again);
        Assert.NotEqual(first, entry.LeaseId);
        Assert.False(table.EndLease(entry, first)); // a late release of the first grant cannot free the second
        Assert.True(entry.Leased);
        Assert.True(table.EndLease(entry, entry.LeaseId));
    }

    [Fact]
    public void Pool_CountsTheLeasesASiloTookWithIt_SoTheirConcurrencyComesBack()
    {
        var other = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 22222), 1);
        var table = new EnvironmentTable();
        table.MarkLeased(table.Add(new PoolEntry("a-1", Silo, "r1", provisioned: false)));
        table.MarkLeased(table.Add(new PoolEntry("a-2", Silo, "r1", provisioned: false)));
        table.HandOverOrIdle(table.Add(new PoolEntry("a-3", Silo, "r1", provisioned: false) { Ready = true }), DateTimeOffset.UnixEpoch);
        table.MarkLeased(table.Add(new PoolEntry("b-1", other, "r1", provisioned: false)));

        Assert.Equal((3, 2), table.RemoveSilo(Silo));
        Assert.Equal(1, table.Count);
        Assert.Null(table.LeaseIdle(Silo, "r1")); // the lost silo's idle one is gone too
    }

    [Fact]
    public void Pool_EndsAnAdoptedLease_OnAnyGrantNumber()
    {
        var table = new EnvironmentTable();
        var entry = table.MarkLeased(table.Add(new PoolEntry("env-1", Silo, "r1", provisioned: false)), adopted: true);

        Assert.True(table.EndLease(entry, 12345)); // the holder's number came from an earlier activation
    }

    [Fact]
    public void Dispatcher_HoldsOneLeasePerEnvironment_TheLaterGrant()
    {
        var held = new HeldLeases();

        Assert.Null(held.Add(Lease("env-1", 5), now: 1));
        Assert.Null(held.Add(Lease("env-2", 6), now: 2));
        Assert.Equal(5, held.Add(Lease("env-1", 9), now: 3)); // the earlier grant is dropped
        Assert.Equal(4, held.Add(Lease("env-1", 4), now: 4)); // an earlier grant arriving late is dropped itself
        Assert.Equal(2, held.Count);

        var top = held.Take();
        Assert.Equal(("env-1", 9L), (top?.EnvironmentKey, top?.LeaseId));
        Assert.Equal("env-2", held.Take()?.EnvironmentKey);
        Assert.Null(held.Take());
    }

    [Fact]
    public void Dispatcher_GivesBackOnlyLeasesHeldPastTheWindow_AndKeepsTheOrder()
    {
        var held = new HeldLeases();
        held.Add(Lease("old", 1), now: 10);
        held.Add(Lease("mid", 2), now: 20);
        held.Add(Lease("new", 3), now: 30);

        Assert.Null(held.TakeHeldBefore(cutoff: 5));
        Assert.Equal(["mid", "old"], held.TakeHeldBefore(cutoff: 25)!.Select(l => l.EnvironmentKey).Order());
        Assert.False(held.Holds("old"));
        Assert.Equal("new", held.Take()?.EnvironmentKey);
        Assert.Null(held.Take());
    }

    [Fact]
    public void Dispatcher_GivesARecallTheLeastRecentlyUsedLeases_AndKeepsTheWarmest()
    {
        var held = new HeldLeases();
        held.Add(Lease("coldest", 1), now: 1);
        held.Add(Lease("middle", 2), now: 2);
        held.Add(Lease("warmest", 3), now: 3);

        Assert.Equal(["coldest"], held.TakeLeastRecent(1).Select(l => l.EnvironmentKey));
        Assert.False(held.Holds("coldest"));
        Assert.Equal(["middle", "warmest"], held.TakeLeastRecent(int.MaxValue).Select(l => l.EnvironmentKey));
        Assert.Equal(0, held.Count);
        Assert.Null(held.Take());
    }

    private static EnvironmentLease Lease(string environmentKey, long leaseId) => new()
    {
        PoolKey = "f:$LATEST",
        EnvironmentKey = environmentKey,
        Revision = "r1",
        Silo = Silo,
        Environment = null!,
        TimeoutSeconds = 3,
        LeaseId = leaseId,
    };
}

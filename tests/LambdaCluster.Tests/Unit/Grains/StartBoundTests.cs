using System.Net;
using LambdaCluster.Grains.Pool;
using Xunit;

namespace LambdaCluster.Tests.Unit.Grains;

/// <summary>
/// A pool counts its environments that are still in INIT; an acquire waiting for room to start one is woken by a start
/// that ends (given nothing: it may start one now) or by a release (given that environment, warm).
/// </summary>
[Trait("Category", "Unit")]
public sealed class StartBoundTests
{
    private static readonly SiloAddress Silo = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), 1);

    /// <summary>A new environment (env-1, revision r1) started for an acquire, and leased to it.</summary>
    private static PoolEntry LeasedStart(EnvironmentTable table) =>
        table.MarkLeased(table.AddStarting(new PoolEntry("env-1", Silo, "r1", provisioned: false), DateTimeOffset.UnixEpoch));

    [Fact]
    public async Task AnEndedInit_WakesTheFirstWaiter_WithRoomToStart()
    {
        var table = new EnvironmentTable();
        var starting = LeasedStart(table);
        Assert.Equal(1, table.Initializing);

        var waiting = table.WaitForReleaseAsync(TimeSpan.FromMinutes(1), TimeProvider.System);
        table.EndInit(starting);
        table.EndInit(starting); // told twice (the environment's word, then its release): counted once

        Assert.Null(await waiting);
        Assert.Equal(0, table.Initializing);
    }

    [Fact]
    public async Task AReleasedEnvironment_GoesToTheFirstWaiter_AndItsEndedInitWakesTheNext()
    {
        var table = new EnvironmentTable();
        var entry = LeasedStart(table);
        var first = table.WaitForReleaseAsync(TimeSpan.FromMinutes(1), TimeProvider.System);
        var second = table.WaitForReleaseAsync(TimeSpan.FromMinutes(1), TimeProvider.System);

        Assert.True(table.EndLease(entry, entry.LeaseId));
        Assert.True(table.HandOverOrIdle(entry, DateTimeOffset.UnixEpoch));

        Assert.Same(entry, await first);
        Assert.True(entry.Leased);
        Assert.Null(await second);
        Assert.Equal(0, table.Initializing);
    }

    [Fact]
    public void AnInitThatEndsUnderALease_CountsItWarmLeased_Once()
    {
        var table = new EnvironmentTable();
        var entry = LeasedStart(table);
        Assert.Equal(0, table.WarmLeased);

        table.MarkWarm(entry);
        table.MarkWarm(entry); // a repeated word counts once
        Assert.Equal(1, table.WarmLeased);

        Assert.True(table.EndLease(entry, entry.LeaseId));
        Assert.Equal(0, table.WarmLeased);
        table.MarkWarm(entry); // not leased: nothing to count
        Assert.Equal(0, table.WarmLeased);
        table.MarkLeased(entry);
        Assert.Equal(1, table.WarmLeased);
    }

    [Fact]
    public void OnlyAWarmLeaseWhoseCallerIsElsewhere_IsWorthWaitingFor()
    {
        // A lease its caller's silo keeps (a single node's every lease) does not come back within moments; one leased to a
        // caller on another silo comes back after its call.
        var table = new EnvironmentTable();
        var entry = LeasedStart(table);
        entry.ReturnsAfterEachCall = true;
        Assert.False(table.AnyWarmLeaseComingBack("r1")); // still in INIT

        table.MarkWarm(entry);
        Assert.True(table.AnyWarmLeaseComingBack("r1"));

        entry.ReturnsAfterEachCall = false;
        Assert.False(table.AnyWarmLeaseComingBack("r1"));
        entry.ReturnsAfterEachCall = true;
        Assert.False(table.AnyWarmLeaseComingBack("r2")); // after a deploy, an old revision's lease is forgotten when it comes back
        Assert.True(table.EndLease(entry, entry.LeaseId));
        Assert.False(entry.ReturnsAfterEachCall);
        entry.ReturnsAfterEachCall = true; // as a provisioned INIT's lease left it
        table.MarkLeased(entry); // a new grant (a hand-over): until it is made out to its caller, not counted as coming back
        Assert.False(table.AnyWarmLeaseComingBack("r1"));
    }

    [Fact]
    public void ARemovedStartingEntry_NoLongerCounts()
    {
        var table = new EnvironmentTable();
        var entry = LeasedStart(table);
        table.AddStarting(new PoolEntry("env-2", Silo, "r1", provisioned: true), DateTimeOffset.UnixEpoch);

        table.Remove(entry);
        Assert.Equal(1, table.Initializing);
        table.RemoveSilo(Silo);
        Assert.Equal(0, table.Initializing);
    }

    [Fact]
    public void StartsCountedPastTheLimit_AreNoLongerCounted()
    {
        var table = new EnvironmentTable();
        var old = LeasedStart(table);
        table.MarkLeased(table.AddStarting(new PoolEntry("env-2", Silo, "r1", provisioned: false), DateTimeOffset.UnixEpoch.AddSeconds(40)));

        table.EndInitsStartedBefore(DateTimeOffset.UnixEpoch.AddSeconds(30));

        Assert.False(old.Initializing);
        Assert.Equal(1, table.Initializing);
    }

    [Fact]
    public async Task AWaiterThatTimedOut_IsSkipped_ByTheNextEndedInit()
    {
        var table = new EnvironmentTable();
        var entry = LeasedStart(table);
        Assert.Null(await table.WaitForReleaseAsync(TimeSpan.FromMilliseconds(1), TimeProvider.System));

        var next = table.WaitForReleaseAsync(TimeSpan.FromMinutes(1), TimeProvider.System);
        table.EndInit(entry);

        Assert.Null(await next.WaitAsync(TimeSpan.FromSeconds(5)));
    }
}

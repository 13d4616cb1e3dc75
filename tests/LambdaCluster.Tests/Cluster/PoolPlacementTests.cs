using LambdaCluster.Grains.Environments;
using LambdaCluster.Grains.Invocation;
using LambdaCluster.Grains.Pool;
using LambdaCluster.Runtimes.Invocation;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace LambdaCluster.Tests.Cluster;

[Collection(ClusterCollection.Name), Trait("Category", "Cluster")]
public sealed class PoolPlacementTests(ClusterFixture fixture)
{
    private readonly ClusterInvocations _calls = new(fixture);

    [Fact]
    public async Task ConcurrentLoad_PlacesEnvironmentsOnMoreThanOneSilo()
    {
        const string name = "spread";
        await ClusterFunctions.CreatePythonAsync(fixture, name);
        await fixture.WaitForQuietAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => _calls.InvokeAsync(name, new { sleep = 0.5 })));

        Assert.All(results, r => Assert.Null(r.FunctionError));
        var pool = await fixture.Client.GetGrain<IFunctionVersionGrain>(FunctionVersionKey.Latest(name)).DescribeAsync();
        var silos = pool.EnvironmentKeys.Select(EnvironmentKeys.Silo).Distinct().ToList();
        Assert.True(silos.Count > 1, $"environments of 12 concurrent calls all landed on {string.Join(", ", silos)}");
    }

    [Fact]
    public async Task IdleEnvironments_AreReclaimedAfterKeepWarm_AndTheNextCallStillSucceeds()
    {
        const string name = "scale-to-zero";
        await ClusterFunctions.CreatePythonAsync(fixture, name);
        var first = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => _calls.InvokeAsync(name, new { sleep = 0.2 })));
        Assert.All(first, r => Assert.Null(r.FunctionError));
        // The host's ids of the environments' root processes (inside its sandbox a function sees its own pid namespace).
        var pids = fixture.LiveEnvironments().Where(e => e.Environment.Spec.FunctionName == name).Select(e => e.Environment.ProcessId).ToList();
        Assert.NotEmpty(pids);

        await Waits.UntilAsync("no live environment of the function on any silo",
            () => Task.FromResult(fixture.LiveEnvironments().Count(e => e.Environment.Spec.FunctionName == name)),
            count => count == 0,
            ClusterFixture.KeepWarm * 3);
        var pool = await fixture.Client.GetGrain<IFunctionVersionGrain>(FunctionVersionKey.Latest(name)).DescribeAsync();
        Assert.Empty(pool.EnvironmentKeys);
        Assert.All(pids, pid => Assert.False(ProcessExists(pid), $"process {pid} still runs after scale to zero"));

        var again = await _calls.InvokeAsync(name, new { sleep = 0 });
        Assert.Null(again.FunctionError);
    }

    [Fact]
    public async Task FiveHundredSimultaneousCalls_ToAColdFunction_AllSucceed()
    {
        const string name = "burst-500";
        await ClusterFunctions.CreatePythonAsync(fixture, name);

        var calls = Enumerable.Range(0, 500).Select(i => _calls.InvokeAsync(name, new { i })).ToList();
        var all = Task.WhenAll(calls);
        var finished = await Task.WhenAny(all, Task.Delay(TimeSpan.FromMinutes(4)));

        Assert.True(finished == all, $"{calls.Count(c => !c.IsCompleted)} of 500 calls had not finished after 4 minutes");
        var results = await all;
        Assert.All(results, r => Assert.Null(r.FunctionError));
        Assert.Equal(Enumerable.Range(0, 500), results.Select(r => ClusterInvocations.Json(r).GetProperty("event").GetProperty("i").GetInt32()));

        // Calls beyond what the silos can INIT at once waited in the pool and took environments as they came back warm,
        // rather than each starting (and queueing for) a process of its own.
        var pool = await fixture.Client.GetGrain<IFunctionVersionGrain>(FunctionVersionKey.Latest(name)).DescribeAsync();
        Assert.InRange(pool.EnvironmentKeys.Count, 1, 250);
    }

    [Fact]
    public async Task AColdStartRunOnItsCallersSilo_FreesItsStartWhenInitEnds_ThoughThatSiloKeepsTheLease()
    {
        // The environment is on the caller's silo, so the call runs in-process and that silo's dispatcher keeps the lease
        // for its next calls: the pool does not see it come back. Only the environment's word that INIT ended frees the
        // start it counts; without it the pool's starts stayed full under steady load and every later cold start waited.
        const string name = "init-word";
        await ClusterFunctions.CreatePythonAsync(fixture, name);
        await fixture.WaitForQuietAsync();
        var silo = fixture.Cluster.Silos[1];
        var calls = new ClusterInvocations(fixture, silo.ServiceProvider);
        var pool = fixture.Client.GetGrain<IFunctionVersionGrain>(FunctionVersionKey.Latest(name));

        Assert.Null((await calls.InvokeAsync(name, new { sleep = 0 })).FunctionError);
        var environment = Assert.Single((await pool.DescribeAsync()).EnvironmentKeys);
        Assert.True(silo.SiloAddress.Equals(EnvironmentKeys.Silo(environment)), $"the pool placed the caller's environment on {EnvironmentKeys.Silo(environment)}, not on the caller's silo {silo.SiloAddress}");

        // A call every 100 ms keeps the lease on the caller's silo (it is given back only after a second unused). A run
        // stalled for over a second lets it go back, which also ends the start: such a run passes without the word, but
        // no run fails for being slow.
        using var stop = new CancellationTokenSource();
        var holding = Task.Run(async () =>
        {
            var results = new List<InvocationResult>();
            while (!stop.IsCancellationRequested)
            {
                results.Add(await calls.InvokeAsync(name, new { sleep = 0 }));
                await Task.Delay(100);
            }

            return results;
        });
        PoolSnapshot counted;
        try
        {
            counted = await Waits.UntilAsync("the pool to count no start in INIT", () => pool.DescribeAsync(), p => p.Initializing == 0, TimeSpan.FromSeconds(15));
        }
        finally
        {
            await stop.CancelAsync();
            Assert.All(await holding, r => Assert.Null(r.FunctionError));
        }

        Assert.Equal([environment], counted.EnvironmentKeys);
    }

    [Fact]
    public async Task ACallFromAnotherSilo_TakesTheEnvironmentASiloHoldsIdle_InsteadOfStartingOne()
    {
        // The first call's silo keeps the lease of the environment it just used (for its own next call), so the pool sees
        // nothing idle; a warm environment held idle elsewhere is called back before a new one is started.
        const string name = "held-elsewhere";
        await ClusterFunctions.CreatePythonAsync(fixture, name);
        await fixture.WaitForQuietAsync();
        var pool = fixture.Client.GetGrain<IFunctionVersionGrain>(FunctionVersionKey.Latest(name));
        var first = fixture.Cluster.Silos[1];
        Assert.Null((await new ClusterInvocations(fixture, first.ServiceProvider).InvokeAsync(name, new { sleep = 0 })).FunctionError);
        var environment = Assert.Single((await pool.DescribeAsync()).EnvironmentKeys);
        Assert.True(first.SiloAddress.Equals(EnvironmentKeys.Silo(environment)), $"the pool placed the caller's environment on {EnvironmentKeys.Silo(environment)}, not on the caller's silo {first.SiloAddress}");
        await Waits.UntilAsync("the pool to count no start in INIT", () => pool.DescribeAsync(), p => p.Initializing == 0, TimeSpan.FromSeconds(15));
        // A warm call on the first silo right before the second call: its dispatcher then holds the lease (if a slow run
        // let it go back meanwhile, the call takes it from the pool once more, and keeps it; a second unused gives it back).
        var firstCalls = new ClusterInvocations(fixture, first.ServiceProvider);
        var dispatcher = first.ServiceProvider.GetRequiredService<InvocationDispatcher>();
        await Waits.UntilAsync("the first silo to hold the lease right after a warm call", async () =>
        {
            Assert.Null((await firstCalls.InvokeAsync(name, new { sleep = 0 })).FunctionError);
            return dispatcher.Holds(environment);
        }, held => held, TimeSpan.FromSeconds(15));

        var second = await new ClusterInvocations(fixture, fixture.Cluster.Silos[2].ServiceProvider).InvokeAsync(name, new { sleep = 0 });

        Assert.Null(second.FunctionError);
        Assert.Equal([environment], (await pool.DescribeAsync()).EnvironmentKeys);
    }

    [Fact]
    public async Task ASiloWhoseCallsKeepRunningOnAnotherSilosEnvironment_GetsOneOfItsOwn()
    {
        // The one environment is on the first silo. Every call from the second silo runs on it across silos (the pool
        // has none idle on the second, and the lease comes back after each call); after SiloShortfall.Threshold such
        // calls the pool starts one on the second silo, whose calls then stay there.
        const string name = "short-silo";
        await ClusterFunctions.CreatePythonAsync(fixture, name);
        await fixture.WaitForQuietAsync();
        var pool = fixture.Client.GetGrain<IFunctionVersionGrain>(FunctionVersionKey.Latest(name));
        var first = fixture.Cluster.Silos[1];
        var second = fixture.Cluster.Silos[2];
        Assert.Null((await new ClusterInvocations(fixture, first.ServiceProvider).InvokeAsync(name, new { sleep = 0 })).FunctionError);
        var environment = Assert.Single((await pool.DescribeAsync()).EnvironmentKeys);
        Assert.True(first.SiloAddress.Equals(EnvironmentKeys.Silo(environment)), $"the pool placed the caller's environment on {EnvironmentKeys.Silo(environment)}, not on the caller's silo {first.SiloAddress}");

        await Waits.UntilAsync("the pool to count no start in INIT", () => pool.DescribeAsync(), p => p.Initializing == 0, TimeSpan.FromSeconds(15));

        // Each call waits for the last lease to be back (the first silo's after its hold, the second's own after its
        // call), so that the pool gives the idle environment across instead of waiting for it or starting another.
        var secondCalls = new ClusterInvocations(fixture, second.ServiceProvider);
        async Task CallAcrossAsync()
        {
            await Waits.UntilAsync("no lease out", () => pool.DescribeAsync(), p => p.Busy == 0, TimeSpan.FromSeconds(15));
            Assert.Null((await secondCalls.InvokeAsync(name, new { sleep = 0 })).FunctionError);
        }

        for (var i = 0; i < SiloShortfall.Threshold - 1; i++)
        {
            await CallAcrossAsync();
        }

        Assert.Equal([environment], (await pool.DescribeAsync()).EnvironmentKeys); // a few calls across are chance, not a shortfall
        await CallAcrossAsync();
        var grown = await Waits.UntilAsync("a ready environment of the function on the second silo", () => pool.DescribeAsync(),
            p => p.EnvironmentKeys.Any(k => second.SiloAddress.Equals(EnvironmentKeys.Silo(k))) && p.Initializing == 0, TimeSpan.FromSeconds(30));
        Assert.Equal(2, grown.EnvironmentKeys.Count);
        var own = grown.EnvironmentKeys.Single(k => second.SiloAddress.Equals(EnvironmentKeys.Silo(k)));
        var dispatcher = second.ServiceProvider.GetRequiredService<InvocationDispatcher>();
        await Waits.UntilAsync("the second silo to hold its own environment right after a call", async () =>
        {
            Assert.Null((await secondCalls.InvokeAsync(name, new { sleep = 0 })).FunctionError);
            return dispatcher.Holds(own);
        }, held => held, TimeSpan.FromSeconds(15));
    }

    private static bool ProcessExists(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
}

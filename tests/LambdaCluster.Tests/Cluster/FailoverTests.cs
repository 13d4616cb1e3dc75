using LambdaCluster.Grains.Environments;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Pool;
using Xunit;

namespace LambdaCluster.Tests.Cluster;

[Collection(ClusterCollection.Name), Trait("Category", "Cluster")]
public sealed class FailoverTests(ClusterFixture fixture)
{
    // Calls come from inside the first silo, as the co-hosted gateway (the default role) makes them.
    private readonly ClusterInvocations _calls = new(fixture, fixture.Cluster.Silos[0].ServiceProvider);

    [Fact]
    public async Task KilledSilo_FailsItsInFlightCallsRetryably_ItsEnvironmentsAreReplaced_AndTrafficContinues()
    {
        const string name = "failover";
        await ClusterFunctions.CreatePythonAsync(fixture, name);
        await fixture.WaitForQuietAsync();
        var pool = fixture.Client.GetGrain<IFunctionVersionGrain>(FunctionVersionKey.Latest(name));
        var inFlight = Enumerable.Range(0, 9).Select(_ => OutcomeAsync(_calls.InvokeAsync(name, new { sleep = 4 }))).ToList();
        var busy = await Waits.UntilAsync("9 busy environments", () => pool.DescribeAsync(), p => p.Busy == 9, TimeSpan.FromSeconds(30));
        var caller = fixture.Cluster.Silos[0].SiloAddress;
        var victim = busy.EnvironmentKeys.Select(EnvironmentKeys.Silo).Where(s => !s.Equals(caller)).GroupBy(s => s).OrderByDescending(g => g.Count()).First().Key;

        await fixture.KillSiloAsync(fixture.Cluster.Silos.Single(s => s.SiloAddress.Equals(victim)));
        var outcomes = await Task.WhenAll(inFlight).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.All(outcomes, o => Assert.True(o is "ok" or "ServiceException", $"in-flight call ended with {o}"));
        Assert.Contains("ServiceException", outcomes);
        var after = await Task.WhenAll(Enumerable.Range(0, 9).Select(_ => WithRetriesAsync(() => _calls.InvokeAsync(name, new { sleep = 0.2 }))));
        Assert.All(after, r => Assert.Null(r.FunctionError));
        var now = await pool.DescribeAsync();
        Assert.DoesNotContain(victim, now.EnvironmentKeys.Select(EnvironmentKeys.Silo));
        Assert.NotEmpty(now.EnvironmentKeys);

        await fixture.Cluster.StartAdditionalSiloAsync();
    }

    private static async Task<string> OutcomeAsync(Task<Runtimes.Invocation.InvocationResult> call)
    {
        try
        {
            var result = await call;
            return result.FunctionError is null ? "ok" : $"function error {result.FunctionError}";
        }
        catch (LambdaServiceException e)
        {
            return e.ErrorType.ToString();
        }
    }

    /// <summary>What the SDKs do with a 500: try again.</summary>
    private static async Task<T> WithRetriesAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (LambdaServiceException e) when (e.ErrorType == LambdaErrorType.ServiceException && attempt < 3)
            {
            }
        }
    }
}

using LambdaCluster.Grains.Concurrency;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Pool;
using Xunit;

namespace LambdaCluster.Tests.Cluster;

[Collection(ClusterCollection.Name), Trait("Category", "Cluster")]
public sealed class ConcurrencyTests(ClusterFixture fixture)
{
    private readonly ClusterInvocations _calls = new(fixture);

    [Fact]
    public async Task ReservedConcurrency_AdmitsExactlyThatManyOfABurst_AndThrottlesTheRestWithLambdasReason()
    {
        const string name = "reserved-3";
        var function = await ClusterFunctions.CreatePythonAsync(fixture, name);
        await function.SetReservedConcurrencyAsync(3);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ =>
        {
            try
            {
                await _calls.InvokeAsync(name, new { sleep = 2 });
                return "ok";
            }
            catch (LambdaServiceException e) when (e.ErrorType == LambdaErrorType.TooManyRequestsException)
            {
                return e.Reason!;
            }
        }));

        Assert.Equal(3, outcomes.Count(o => o == "ok"));
        Assert.Equal(9, outcomes.Count(o => o == ThrottleReasons.ReservedFunctionConcurrentInvocationLimitExceeded));
    }

    [Fact]
    public async Task ReservedConcurrency_IsOneCapAcrossVersions()
    {
        const string name = "reserved-versions";
        var function = await ClusterFunctions.CreatePythonAsync(fixture, name);
        var one = await function.PublishVersionAsync(new Grains.Functions.PublishVersionRequest(null, null, null));
        await function.UpdateConfigurationAsync(new Grains.Functions.FunctionConfigurationUpdate { Description = "second" });
        var two = await function.PublishVersionAsync(new Grains.Functions.PublishVersionRequest(null, null, null));
        await function.SetReservedConcurrencyAsync(3);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
        {
            try
            {
                await _calls.InvokeAsync(name, new { sleep = 2 }, i % 2 == 0 ? one.Version : two.Version);
                return "ok";
            }
            catch (LambdaServiceException e) when (e.ErrorType == LambdaErrorType.TooManyRequestsException)
            {
                return e.Reason!;
            }
        }));

        Assert.Equal(3, outcomes.Count(o => o == "ok"));
        Assert.Equal(9, outcomes.Count(o => o == ThrottleReasons.ReservedFunctionConcurrentInvocationLimitExceeded));
        Assert.Null((await _calls.InvokeAsync(name, new { sleep = 0 }, two.Version)).FunctionError); // slots come back
    }

    [Fact]
    public async Task ReservedConcurrencyZero_ThrottlesEverything_UntilTheReservationIsRemoved()
    {
        const string name = "reserved-0";
        var function = await ClusterFunctions.CreatePythonAsync(fixture, name);
        await function.SetReservedConcurrencyAsync(0);

        var refused = await Assert.ThrowsAsync<LambdaServiceException>(() => _calls.InvokeAsync(name, new { }));
        Assert.Equal(LambdaErrorType.TooManyRequestsException, refused.ErrorType);
        Assert.Equal(ThrottleReasons.ReservedFunctionConcurrentInvocationLimitExceeded, refused.Reason);

        await function.SetReservedConcurrencyAsync(null);
        Assert.Null((await _calls.InvokeAsync(name, new { })).FunctionError);
    }

    [Fact]
    public async Task ProvisionedEnvironments_AreInitialisedBeforeTheFirstCall_WhichRunsWithoutInit()
    {
        const string name = "provisioned";
        var function = await ClusterFunctions.CreatePythonAsync(fixture, name);
        var version = await function.PublishVersionAsync(new Grains.Functions.PublishVersionRequest(null, null, null));
        await function.PutProvisionedConcurrencyAsync(version.Version, 2);

        await Waits.UntilAsync("provisioned concurrency READY",
            async () => (await function.GetProvisionedConcurrencyAsync(version.Version))!,
            s => s.Status == "READY",
            TimeSpan.FromSeconds(30));
        var provisioned = fixture.LiveEnvironments().Where(e => e.Environment.Spec.FunctionName == name).ToList();
        Assert.Equal(2, provisioned.Count);
        Assert.All(provisioned, e => Assert.True(e.Environment.Provisioned));

        var result = await _calls.InvokeAsync(name, new { sleep = 0 }, version.Version, tail: true);

        Assert.Null(result.FunctionError);
        Assert.Equal("provisioned-concurrency", ClusterInvocations.Json(result).GetProperty("init").GetString());
        var report = ClusterInvocations.Tail(result).Split('\n').Single(l => l.StartsWith("REPORT", StringComparison.Ordinal));
        Assert.DoesNotContain("Init Duration", report, StringComparison.Ordinal);
        Assert.Equal(2, fixture.LiveEnvironments().Count(e => e.Environment.Spec.FunctionName == name));

        // Provisioned environments outlive the keep-warm window.
        await Task.Delay(ClusterFixture.KeepWarm * 2);
        var pool = await fixture.Client.GetGrain<IFunctionVersionGrain>(FunctionVersionKey.Of(name, version.Version)).DescribeAsync();
        Assert.Equal(2, pool.ProvisionedReady);
    }
}

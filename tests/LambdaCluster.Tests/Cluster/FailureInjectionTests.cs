using System.Text.Json;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Pool;
using LambdaCluster.Runtimes.Code;
using LambdaCluster.Runtimes.Environments;
using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Tests.Support.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace LambdaCluster.Tests.Cluster;

/// <summary>
/// Every way a start or a run can fail that a test can inject (the code store, the launcher, the runtime's process and
/// its use of the Runtime API) ends the same way: the caller gets Lambda's error, the pool counts nothing busy, no
/// environment or Runtime API port is left behind on any silo, and once the fault is gone the next call succeeds.
/// </summary>
[Collection(ClusterCollection.Name), Trait("Category", "Cluster")]
public sealed class FailureInjectionTests(ClusterFixture fixture)
{
    private readonly ClusterInvocations _calls = new(fixture, fixture.Cluster.Silos[0].ServiceProvider);

    [Theory]
    [InlineData(Fault.CodeStoreThrows)]
    [InlineData(Fault.BlobMissing)]
    [InlineData(Fault.LauncherThrows)]
    public async Task PlatformFault_GivesServiceException_LeaksNothing_AndTheNextCallSucceeds(Fault fault)
    {
        var name = $"fault-{fault}".ToLowerInvariant();
        await ClusterFunctions.CreatePythonAsync(fixture, name, ClusterFunctions.SleepyEcho + $"\n# {Guid.NewGuid()}\n"); // its own package
        var key = fault == Fault.LauncherThrows ? name : await CodeHashOfAsync(name);
        fixture.Faults.Set(key, fault);

        var error = await Assert.ThrowsAsync<LambdaServiceException>(() => _calls.InvokeAsync(name, new { }));

        Assert.Equal(LambdaErrorType.ServiceException, error.ErrorType);
        await AssertNothingLeftAsync(name);
        fixture.Faults.Clear(key);
        Assert.Null((await _calls.InvokeAsync(name, new { })).FunctionError);
    }

    [Theory]
    [InlineData(Fault.CrashesInInit, "Runtime.ExitError", "Runtime exited with error: exit status 1")]
    [InlineData(Fault.NeverAsksForEvent, "Sandbox.Timedout", "INIT phase timed out after 10.00 seconds")]
    [InlineData(Fault.ExitsAfterTakingEvent, "Runtime.ExitError", "Runtime exited with error: exit status 3")]
    public async Task RuntimeFault_GivesLambdasFunctionError_LeaksNothing_AndTheNextCallSucceeds(Fault fault, string errorType, string message)
    {
        var name = $"fault-{fault}".ToLowerInvariant();
        await ClusterFunctions.CreatePythonAsync(fixture, name);
        fixture.Faults.Set(name, fault);

        var result = await _calls.InvokeAsync(name, new { }, tail: true);

        Assert.Equal("Unhandled", result.FunctionError);
        var document = ClusterInvocations.Json(result);
        Assert.Equal(errorType, document.GetProperty("errorType").GetString());
        Assert.EndsWith(message, document.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Contains("REPORT RequestId: ", ClusterInvocations.Tail(result), StringComparison.Ordinal);
        await AssertNothingLeftAsync(name);
        fixture.Faults.Clear(name);
        Assert.Null((await _calls.InvokeAsync(name, new { })).FunctionError);
    }

    /// <summary>The pool counts nothing busy; no silo runs an environment of the function; every silo's ports are free or held by a live environment.</summary>
    private async Task AssertNothingLeftAsync(string name)
    {
        var pool = fixture.Client.GetGrain<IFunctionVersionGrain>(FunctionVersionKey.Latest(name));
        await Waits.UntilAsync("the pool to count no busy environment", () => pool.DescribeAsync(), p => p.Busy == 0 && p.EnvironmentKeys.Count == 0, TimeSpan.FromSeconds(10));
        await Waits.UntilAsync("no environment of the function on any silo",
            () => Task.FromResult(fixture.LiveEnvironments().Count(e => e.Environment.Spec.FunctionName == name)),
            count => count == 0,
            TimeSpan.FromSeconds(10));
        await Waits.UntilAsync("every Runtime API port free or held by a live environment",
            () => Task.FromResult(string.Join(", ", fixture.Cluster.Silos.Where(s => s.IsActive).Select(s =>
            {
                var supervisor = s.ServiceProvider.GetRequiredService<EnvironmentSupervisor>();
                var slots = s.ServiceProvider.GetRequiredService<IOptions<EnvironmentOptions>>().Value.RuntimeApiSlots;
                return $"{supervisor.FreeSlots + supervisor.Count}/{slots}";
            }))),
            ports => ports.Split(", ").All(p => p.Split('/')[0] == p.Split('/')[1]),
            TimeSpan.FromSeconds(10));
    }

    private async Task<string> CodeHashOfAsync(string name)
    {
        var definition = await fixture.Client.GetGrain<Grains.Functions.IFunctionGrain>(name).GetVersionAsync("$LATEST");
        return definition!.CodeSha256Hex;
    }
}

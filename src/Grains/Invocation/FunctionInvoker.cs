using LambdaCluster.Grains.Environments;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Pool;
using LambdaCluster.Runtimes.Environments;
using LambdaCluster.Runtimes.Invocation;
using Orleans.Runtime;

namespace LambdaCluster.Grains.Invocation;

/// <summary>
/// Runs one invocation of a function's $LATEST for any caller (the gateway, the event queue, later the
/// pollers). Flow: caller → version pool (lease) → environment grain (payload) → process → back. When the
/// leased environment turns out to be gone before it ran anything, another lease is taken.
/// </summary>
public sealed class FunctionInvoker(IGrainFactory grains)
{
    private const int Attempts = 3;

    public async Task<InvocationResult> InvokeAsync(string functionName, InvocationRequest request)
    {
        var pool = grains.GetGrain<IFunctionVersionGrain>(FunctionVersionKey.Latest(functionName));
        for (var attempt = 1; ; attempt++)
        {
            var lease = await pool.AcquireAsync();
            try
            {
                return await grains.GetGrain<IExecutionEnvironmentGrain>(lease.EnvironmentKey).InvokeAsync(lease, request);
            }
            catch (Exception e) when (e is EnvironmentUnavailableException or SiloUnavailableException && attempt < Attempts)
            {
                await pool.ReleaseAsync(lease.EnvironmentKey, reusable: false);
            }
            catch (Exception e) when (e is EnvironmentUnavailableException or SiloUnavailableException)
            {
                throw new LambdaServiceException(LambdaErrorType.ServiceException, "No execution environment could be started for this invocation. Please try again.");
            }
        }
    }
}

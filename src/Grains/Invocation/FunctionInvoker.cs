using LambdaCluster.Grains.Cluster;
using LambdaCluster.Grains.Environments;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Pool;
using LambdaCluster.Runtimes.Environments;
using LambdaCluster.Runtimes.Invocation;
using LambdaCluster.Runtimes.Telemetry;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;

namespace LambdaCluster.Grains.Invocation;

/// <summary>
/// Runs one invocation of a function version for any caller (the gateway, the event queue, later the
/// pollers). Flow: caller → version pool (lease; it prefers an environment on the caller's silo) →
/// environment grain (payload) → process → back. An environment found gone before it ran anything is
/// replaced by another lease; a silo lost while the invocation ran fails it with ServiceException (500),
/// which the SDKs retry, because the function may or may not have run.
/// </summary>
public sealed class FunctionInvoker(IGrainFactory grains, IServiceProvider services)
{
    private readonly SiloDepartures? _departures = services.GetService<SiloDepartures>();

    // Grain references by (function, version): resolving one costs more than the rest of the lookup path.
    // Bounded by the number of function versions invoked through this process.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Function, string Version), IFunctionVersionGrain> _pools = new();

    private const int Attempts = 3;

    private static readonly TimeSpan InitAndQueueAllowance = TimeSpan.FromMinutes(2);

    /// <summary>This silo, when the caller runs in one (a gateway-only process has none).</summary>
    private readonly SiloAddress? _near = services.GetService<ILocalSiloDetails>()?.SiloAddress;

    public Task<InvocationResult> InvokeAsync(string functionName, InvocationRequest request) =>
        InvokeAsync(functionName, "$LATEST", request);

    public async Task<InvocationResult> InvokeAsync(string functionName, string version, InvocationRequest request)
    {
        var pool = Pool(functionName, version);
        for (var attempt = 1; ; attempt++)
        {
            var lease = await AcquireAsync(pool, functionName);
            try
            {
                return await RunAsync(lease, request);
            }
            catch (EnvironmentUnavailableException) when (attempt < Attempts)
            {
                await pool.ReleaseAsync(lease.EnvironmentKey, reusable: false);
            }
            catch (EnvironmentUnavailableException)
            {
                throw new LambdaServiceException(LambdaErrorType.ServiceException, "No execution environment could be started for this invocation. Please try again.");
            }
            catch (Exception e) when (e is SiloUnavailableException or OrleansMessageRejectionException or SiloLostException)
            {
                await pool.ReleaseAsync(lease.EnvironmentKey, reusable: false);
                throw new LambdaServiceException(LambdaErrorType.ServiceException, "The node running this invocation's execution environment left the cluster. Please try again.");
            }
        }
    }

    /// <summary>
    /// Runs one invocation with its response streamed back as the function writes it (head, chunks, completion).
    /// Same path as <see cref="InvokeAsync(string, string, InvocationRequest)"/>: an environment found gone before
    /// anything arrived is replaced by another lease; once parts have flowed, a lost silo ends the stream with
    /// ServiceException. Cancelling, or stopping the enumeration early, abandons the invocation.
    /// </summary>
    public async IAsyncEnumerable<ResponseStreamPart> InvokeStreamingAsync(string functionName, string version, InvocationRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var pool = Pool(functionName, version);
        for (var attempt = 1; ; attempt++)
        {
            var lease = await AcquireAsync(pool, functionName);
            var parts = lease.Environment.InvokeStreamingAsync(lease, request, cancellationToken).GetAsyncEnumerator(cancellationToken);
            try
            {
                var step = await StepAsync(parts, lease, pool, retryable: attempt < Attempts);
                if (step == Step.Retry)
                {
                    continue;
                }

                while (step == Step.Part)
                {
                    yield return parts.Current;
                    step = await StepAsync(parts, lease, pool, retryable: false);
                }

                yield break;
            }
            finally
            {
                await DisposeQuietlyAsync(parts);
            }
        }
    }

    private enum Step
    {
        Part,
        End,
        Retry,
    }

    private async Task<Step> StepAsync(IAsyncEnumerator<ResponseStreamPart> parts, EnvironmentLease lease, IFunctionVersionGrain pool, bool retryable)
    {
        try
        {
            var next = parts.MoveNextAsync().AsTask();
            if (_departures is not null && await Task.WhenAny(next, _departures.WhenGone(lease.Silo)) != next)
            {
                _ = next.ContinueWith(static t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
                throw new SiloLostException();
            }

            return await next ? Step.Part : Step.End;
        }
        catch (EnvironmentUnavailableException) when (retryable)
        {
            await pool.ReleaseAsync(lease.EnvironmentKey, reusable: false);
            return Step.Retry;
        }
        catch (EnvironmentUnavailableException)
        {
            throw new LambdaServiceException(LambdaErrorType.ServiceException, "No execution environment could be started for this invocation. Please try again.");
        }
        catch (Exception e) when (e is SiloUnavailableException or OrleansMessageRejectionException or SiloLostException)
        {
            await pool.ReleaseAsync(lease.EnvironmentKey, reusable: false);
            throw new LambdaServiceException(LambdaErrorType.ServiceException, "The node running this invocation's execution environment left the cluster. Please try again.");
        }
    }

    private static async Task DisposeQuietlyAsync(IAsyncEnumerator<ResponseStreamPart> parts)
    {
        try
        {
            await parts.DisposeAsync();
        }
        catch (Exception e) when (e is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException or OperationCanceledException)
        {
            // The environment's silo is gone or the caller cancelled: nothing is left to release there.
        }
    }

    private async Task<EnvironmentLease> AcquireAsync(IFunctionVersionGrain pool, string functionName)
    {
        try
        {
            return await pool.AcquireAsync(_near);
        }
        catch (LambdaServiceException e) when (e.ErrorType == LambdaErrorType.TooManyRequestsException)
        {
            LambdaTelemetry.Throttles.Add(1, LambdaTelemetry.Function(functionName));
            throw;
        }
    }

    private IFunctionVersionGrain Pool(string functionName, string version) =>
        _pools.TryGetValue((functionName, version), out var pool)
            ? pool
            : _pools.GetOrAdd((functionName, version), key => grains.GetGrain<IFunctionVersionGrain>(FunctionVersionKey.Of(key.Function, key.Version)));

    /// <summary>
    /// The invocation on its environment, abandoned the moment that environment's silo leaves the cluster, or
    /// when it outlives anything the function could take (its timeout, plus room for INIT and a queue of cold
    /// starts): a call relayed through a gateway silo that died gets no answer, and nothing else would end it.
    /// </summary>
    private async Task<InvocationResult> RunAsync(EnvironmentLease lease, InvocationRequest request)
    {
        var call = lease.Environment.InvokeAsync(lease, request);
        if (_departures is null)
        {
            return await call;
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(lease.Spec.Timeout) + InitAndQueueAllowance);
        var gone = _departures.WhenGone(lease.Silo);
        if (await Task.WhenAny(call, gone, Task.Delay(Timeout.Infinite, deadline.Token)) != call)
        {
            _ = call.ContinueWith(static t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
            throw new SiloLostException();
        }

        return await call;
    }

    private sealed class SiloLostException : Exception;
}

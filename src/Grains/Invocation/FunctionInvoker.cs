using System.Runtime.CompilerServices;
using LambdaCluster.Grains.Cluster;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Pool;
using LambdaCluster.Runtimes.Invocation;
using LambdaCluster.Runtimes.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LambdaCluster.Grains.Invocation;

/// <summary>
/// Runs an invocation of a function version for any caller (the gateway, the asynchronous dispatchers, the pollers).
/// Flow: caller → this silo's <see cref="InvocationDispatcher"/> (a lease it holds: straight to the local environment;
/// else the version's pool) → environment → back; in a gateway-only process, through the dispatcher grain of the silo
/// with the fewest of its calls in flight (<see cref="ClientSilos"/>). Every attempt ends in an
/// <see cref="InvocationOutcome"/>, which <see cref="Settle"/> maps in one table: function outcomes are the result; a
/// throttle or a missing function is Lambda's error; a platform failure in which nothing ran is tried again under a new
/// lease (up to 3 attempts); any other is ServiceException (500), which the SDKs retry, because the function may or may
/// not have run.
/// </summary>
public sealed partial class FunctionInvoker(IGrainFactory grains, IServiceProvider services, ILogger<FunctionInvoker> logger)
{
    private const int Attempts = 3;

    private readonly InvocationDispatcher? _dispatcher = services.GetService<InvocationDispatcher>();
    private readonly ClientSilos? _silos = services.GetService<ClientSilos>();
    private readonly SiloDepartures? _departures = services.GetService<SiloDepartures>();

    public Task<InvocationResult> InvokeAsync(string functionName, InvocationRequest request) =>
        InvokeAsync(functionName, "$LATEST", request);

    /// <summary>
    /// The function's answer (its response, or its error with <see cref="InvocationResult.FunctionError"/> set).
    /// Throws <see cref="LambdaServiceException"/>: TooManyRequestsException (with Lambda's Reason), ResourceNotFoundException, ServiceException.
    /// </summary>
    public async Task<InvocationResult> InvokeAsync(string functionName, string version, InvocationRequest request)
    {
        var poolKey = FunctionVersionKey.Of(functionName, version);
        request = await WithLineageAsync(functionName, request);
        for (var attempt = 1; ; attempt++)
        {
            if (Settle(poolKey, await AttemptAsync(poolKey, request), attempt) is { } settled)
            {
                return settled;
            }
        }
    }

    /// <summary>
    /// The invocation with its response streamed back as the function writes it (head, chunks, completion). An attempt
    /// whose first part already says nothing ran is tried again; once parts have flowed, a platform failure ends the stream
    /// with ServiceException. Cancelling, or stopping the enumeration early, abandons the invocation.
    /// </summary>
    public async IAsyncEnumerable<ResponseStreamPart> InvokeStreamingAsync(string functionName, string version, InvocationRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var poolKey = FunctionVersionKey.Of(functionName, version);
        request = await WithLineageAsync(functionName, request);
        for (var attempt = 1; ; attempt++)
        {
            var (call, parts) = await StreamAttemptAsync(poolKey, request, cancellationToken);
            try
            {
                var silo = call?.Silo;
                var enumerator = parts.GetAsyncEnumerator(cancellationToken);
                try
                {
                    var part = await NextAsync(enumerator, silo, poolKey);
                    if (part.Completion is { } first && Settle(poolKey, first, attempt) is null)
                    {
                        continue;
                    }

                    while (true)
                    {
                        if (part.Completion is { } completion)
                        {
                            yield return ResponseStreamPart.Completed(Settle(poolKey, completion, Attempts)!);
                            yield break;
                        }

                        yield return part;
                        part = await NextAsync(enumerator, silo, poolKey);
                    }
                }
                finally
                {
                    await DisposeQuietlyAsync(enumerator);
                }
            }
            finally
            {
                call?.Dispose(); // whatever the stream's disposal threw
            }
        }
    }

    /// <summary>
    /// Recursive loop detection: the request's trace counts this invocation in its chain (see <see cref="RecursionLineage"/>);
    /// one beyond Lambda's limit is refused with RecursiveInvocationException unless the function's RecursiveLoop is Allow
    /// (asked of the function grain only then).
    /// </summary>
    private async ValueTask<InvocationRequest> WithLineageAsync(string functionName, InvocationRequest request)
    {
        var (trace, count) = RecursionLineage.Advance(request.TraceId, RecursionLineage.FunctionHash(functionName));
        if (count > RecursionLineage.MaxInvocations && await grains.GetGrain<Functions.IFunctionGrain>(functionName).GetRecursiveLoopAsync() != "Allow")
        {
            LogRecursionStopped(logger, functionName, count);
            throw new LambdaServiceException(LambdaErrorType.RecursiveInvocationException,
                "Lambda has detected your function being invoked in a recursive loop with other AWS resources and stopped your function's invocation.");
        }

        return request with { TraceId = trace };
    }

    /// <summary>
    /// The one table from an attempt's outcome to what the caller gets: the result (function outcomes), an exception
    /// (throttled, not found, a platform failure), or null to try again under a new lease.
    /// </summary>
    private InvocationResult? Settle(string poolKey, InvocationResult result, int attempt)
    {
        switch (result.Outcome)
        {
            case InvocationOutcome.Throttled:
                LambdaTelemetry.Throttles.Add(1, LambdaTelemetry.Function(FunctionVersionKey.FunctionName(poolKey)));
                throw new LambdaServiceException(LambdaErrorType.TooManyRequestsException, "Rate Exceeded.", result.FailureMessage);
            case InvocationOutcome.NotFound:
                throw new LambdaServiceException(LambdaErrorType.ResourceNotFoundException, result.FailureMessage ?? "Function not found");
            case InvocationOutcome.PlatformFailure when PlatformFailures.Retryable(result.FailureReason) && attempt < Attempts:
                LogRetried(logger, poolKey, result.FailureReason, attempt);
                return null;
            case InvocationOutcome.PlatformFailure when NamedError(result.FailureReason) is { } named:
                throw new LambdaServiceException(named, result.FailureMessage ?? "Lambda could not start the function.");
            case InvocationOutcome.PlatformFailure:
                LogPlatformFailure(logger, poolKey, result.FailureReason, result.FailureMessage);
                throw new LambdaServiceException(LambdaErrorType.ServiceException, PlatformFailures.Retryable(result.FailureReason)
                    ? "No execution environment could be started for this invocation. Please try again."
                    : result.FailureMessage ?? "The service encountered an internal error. Please try again.");
            default:
                return result;
        }
    }

    /// <summary>
    /// The platform failures Lambda answers Invoke with an error of their own: SnapStart's (a restore that failed or timed
    /// out, a snapshot not made, a version that failed) and a VPC's or file system's that could not be attached.
    /// </summary>
    private static LambdaErrorType? NamedError(PlatformFailureReason reason) => reason switch
    {
        PlatformFailureReason.InvalidSubnet => LambdaErrorType.InvalidSubnetIDException,
        PlatformFailureReason.InvalidSecurityGroup => LambdaErrorType.InvalidSecurityGroupIDException,
        PlatformFailureReason.SubnetOutOfAddresses => LambdaErrorType.SubnetIPAddressLimitReachedException,
        PlatformFailureReason.FileSystemMountFailed => LambdaErrorType.EFSMountFailureException,
        PlatformFailureReason.SnapStartRestoreFailed => LambdaErrorType.SnapStartException,
        PlatformFailureReason.SnapStartTimedOut => LambdaErrorType.SnapStartTimeoutException,
        PlatformFailureReason.SnapStartNotReady => LambdaErrorType.SnapStartNotReadyException,
        PlatformFailureReason.VersionNotActive => LambdaErrorType.ResourceConflictException,
        _ => null,
    };

    /// <summary>One attempt: on this silo's dispatcher, or (gateway-only process) on the dispatcher of the least busy silo, abandoned if that silo leaves.</summary>
    private async Task<InvocationResult> AttemptAsync(string poolKey, InvocationRequest request)
    {
        if (_dispatcher is not null)
        {
            return await _dispatcher.InvokeAsync(poolKey, request);
        }

        if (await StartSiloCallAsync() is not { } siloCall)
        {
            return NoSilo(poolKey);
        }

        using var counted = siloCall;
        var silo = siloCall.Silo;
        try
        {
            var call = grains.GetGrain<IInvocationDispatcherGrain>(DispatcherKeys.For(silo)).InvokeAsync(poolKey, request);
            if (_departures is not null && await Task.WhenAny(call, _departures.WhenGone(silo)) != call)
            {
                _ = call.ContinueWith(static t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
                return Unreachable(silo, poolKey);
            }

            return await call;
        }
        catch (Exception e) when (e is SiloUnavailableException or OrleansMessageRejectionException)
        {
            return Unreachable(silo, poolKey);
        }
    }

    /// <summary>A streaming attempt; in a gateway-only process, also the call counted against its silo until the stream ends.</summary>
    private async Task<(SiloCall? Call, IAsyncEnumerable<ResponseStreamPart> Parts)> StreamAttemptAsync(string poolKey, InvocationRequest request, CancellationToken cancellationToken)
    {
        if (_dispatcher is not null)
        {
            return (null, _dispatcher.InvokeStreamingAsync(poolKey, request, cancellationToken));
        }

        var call = await StartSiloCallAsync();
        return call is not { } counted
            ? (null, Single(NoSilo(poolKey)))
            : (counted, grains.GetGrain<IInvocationDispatcherGrain>(DispatcherKeys.For(counted.Silo)).InvokeStreamingAsync(poolKey, request, cancellationToken));
    }

    /// <summary>The next part; a silo lost mid-stream (or a stream that ended without its completion) is a NodeLost completion.</summary>
    private async Task<ResponseStreamPart> NextAsync(IAsyncEnumerator<ResponseStreamPart> parts, SiloAddress? silo, string poolKey)
    {
        try
        {
            var next = parts.MoveNextAsync().AsTask();
            if (silo is not null && _departures is not null && await Task.WhenAny(next, _departures.WhenGone(silo)) != next)
            {
                _ = next.ContinueWith(static t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
                return ResponseStreamPart.Completed(Unreachable(silo, poolKey));
            }

            return await next ? parts.Current : ResponseStreamPart.Completed(NodeLost(poolKey));
        }
        catch (Exception e) when (e is SiloUnavailableException or OrleansMessageRejectionException)
        {
            return ResponseStreamPart.Completed(silo is null ? NodeLost(poolKey) : Unreachable(silo, poolKey));
        }
    }

    private async ValueTask<SiloCall?> StartSiloCallAsync() => _silos is null ? null : await _silos.StartCallAsync();

    private static async Task DisposeQuietlyAsync(IAsyncEnumerator<ResponseStreamPart> parts)
    {
        try
        {
            await parts.DisposeAsync();
        }
        catch (Exception e) when (e is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException or OperationCanceledException)
        {
            // The dispatcher's silo is gone or the caller cancelled: nothing is left to release there.
        }
    }

    private static async IAsyncEnumerable<ResponseStreamPart> Single(InvocationResult result)
    {
        await Task.CompletedTask;
        yield return ResponseStreamPart.Completed(result);
    }

    /// <summary>A gateway-only process's call found its silo gone: NodeLost, and the silo is passed over for a while (<see cref="ClientSilos.Shunned"/>).</summary>
    private InvocationResult Unreachable(SiloAddress silo, string poolKey)
    {
        _silos?.Unreachable(silo);
        return NodeLost(poolKey);
    }

    private static InvocationResult NodeLost(string poolKey) =>
        InvocationResult.Failed(InvocationOutcome.PlatformFailure, FunctionVersionKey.Version(poolKey), "The node running this invocation's execution environment left the cluster. Please try again.", PlatformFailureReason.NodeLost);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Invocation of {Function} stopped: its chain of requests reached {Count} invocations (a recursive loop)")]
    private static partial void LogRecursionStopped(ILogger logger, string function, int count);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Debug, Message = "Invocation of {Pool}: attempt {Attempt} found no usable environment ({Reason}); trying another")]
    private static partial void LogRetried(ILogger logger, string pool, PlatformFailureReason reason, int attempt);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Invocation of {Pool} failed in the platform ({Reason}): {Message}")]
    private static partial void LogPlatformFailure(ILogger logger, string pool, PlatformFailureReason reason, string? message);

    private static InvocationResult NoSilo(string poolKey) =>
        InvocationResult.Failed(InvocationOutcome.PlatformFailure, FunctionVersionKey.Version(poolKey), "No node of the cluster can run functions right now. Please try again.", PlatformFailureReason.NoCapacity);
}

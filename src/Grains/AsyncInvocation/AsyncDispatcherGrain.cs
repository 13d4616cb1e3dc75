using System.Text.Json;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Grains.Invocation;
using LambdaCluster.Grains.Pollers;
using LambdaCluster.Grains.Queues;
using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Runtimes.Invocation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace LambdaCluster.Grains.AsyncInvocation;

/// <summary>
/// Runs a function's asynchronous invocations (key: the function name) from its internal queue, through the same
/// pools and concurrency limits as synchronous calls, with Lambda's rules: a function error is retried up to
/// MaximumRetryAttempts times after a delay; a throttle or a system error puts the event back with a backoff
/// (1 s doubling to 5 min) until MaximumEventAgeInSeconds; the outcome goes to the configured destination. An
/// event leaves the queue only once its outcome is settled, so a crash anywhere means it runs again (at least once).
/// </summary>
[Reentrant, GrainType(TypeName)]
public sealed partial class AsyncDispatcherGrain(
    FunctionInvoker invoker,
    AsyncInvocations invocations,
    DestinationDelivery destinations,
    IOptions<AsyncInvokeOptions> options,
    IOptions<NodeOptions> node,
    TimeProvider time,
    ILogger<AsyncDispatcherGrain> logger) : Grain, IPollerGrain
{
    public const string TypeName = "async-dispatcher";

    private static readonly TimeSpan MaximumBackoff = TimeSpan.FromMinutes(5);

    private readonly CancellationTokenSource _stop = new();
    private Task? _running;

    public static GrainId IdOf(string functionName) => GrainId.Create(TypeName, functionName);

    private string FunctionName => this.GetPrimaryKeyString();

    private IQueueGrain Queue => GrainFactory.GetGrain<IQueueGrain>(AsyncInvocations.QueueName(FunctionName));

    public Task EnsureRunningAsync()
    {
        if (_running is null || _running.IsCompleted)
        {
            _running = RunAsync(_stop.Token);
        }

        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _stop.Cancel();
        return Task.CompletedTask;
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        // Flow: long-poll the queue for up to Workers events → run them side by side → settle each → again, until
        // the grain deactivates. A queue that no longer exists (nothing was ever accepted, or the function is gone) ends it.
        var batch = Math.Clamp(options.Value.Workers, 1, 10);
        try
        {
            // This activation is the queue's only consumer: anything in flight was abandoned by one that crashed.
            await Queue.ReleaseInFlightAsync();
        }
        catch (QueueServiceException)
        {
            return;
        }

        while (!stopping.IsCancellationRequested)
        {
            IReadOnlyList<ReceivedMessage> messages;
            try
            {
                messages = await Queue.ReceiveAsync(batch, visibilityTimeout: null, waitSeconds: 20);
            }
            catch (QueueServiceException)
            {
                return;
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                LogPollFailed(logger, e, FunctionName);
                await Task.Delay(TimeSpan.FromSeconds(1), time, CancellationToken.None);
                continue;
            }

            await Task.WhenAll(messages.Select(ProcessAsync));
        }
    }

    private async Task ProcessAsync(ReceivedMessage message)
    {
        try
        {
            var envelope = JsonSerializer.Deserialize(message.Body, AsyncEnvelopeJsonContext.Default.AsyncEnvelope);
            if (envelope is null)
            {
                await DeleteAsync(message);
                return;
            }

            await SettleAsync(envelope, message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Left in the queue: it becomes visible again after the visibility timeout and is tried again.
            LogProcessFailed(logger, e, FunctionName, message.MessageId);
        }
    }

    private async Task SettleAsync(AsyncEnvelope envelope, ReceivedMessage message)
    {
        var config = await GrainFactory.GetGrain<IEventInvokeConfigGrain>(FunctionName).GetAsync(envelope.Qualifier ?? "$LATEST");
        var maxRetries = config?.MaximumRetryAttempts ?? EventInvokeConfig.DefaultMaximumRetryAttempts;
        var maxAge = TimeSpan.FromSeconds(config?.MaximumEventAgeInSeconds ?? EventInvokeConfig.DefaultMaximumEventAgeInSeconds);
        var now = time.GetUtcNow();
        var functionArn = FunctionArns.Qualified(FunctionArns.Function(node.Value.Region, node.Value.AccountId, FunctionName), envelope.Version);
        if (now - DateTimeOffset.FromUnixTimeMilliseconds(envelope.AcceptedAt) > maxAge)
        {
            await FailAsync(config, envelope, functionArn, DestinationRecord.EventAgeExceeded, null, message);
            return;
        }

        InvocationResult result;
        try
        {
            result = await invoker.InvokeAsync(FunctionName, envelope.Version, Request(envelope));
        }
        catch (LambdaServiceException e) when (e.ErrorType is LambdaErrorType.TooManyRequestsException or LambdaErrorType.ServiceException)
        {
            await ThrottledAsync(config, envelope, functionArn, message, e.ErrorType);
            return;
        }
        catch (LambdaServiceException e) when (e.ErrorType == LambdaErrorType.ResourceNotFoundException)
        {
            LogFunctionGone(logger, FunctionName, envelope.RequestId);
            await DeleteAsync(message);
            return;
        }
        catch (LambdaServiceException e) when (e.ErrorType == LambdaErrorType.RecursiveInvocationException)
        {
            // As Lambda does for an asynchronous event stopped in a loop: to the failure destination (or DLQ), not retried.
            await FailAsync(config, envelope, functionArn, DestinationRecord.RetriesExhausted, null, message);
            return;
        }

        var invokeCount = envelope.Attempts + 1;
        if (result.FunctionError is null)
        {
            if (config?.OnSuccess is { } onSuccess)
            {
                await destinations.DeliverAsync(onSuccess, DestinationRecord.Build(envelope, functionArn, DestinationRecord.Success, invokeCount, time.GetUtcNow(), result.ExecutedVersion, null, result.Payload));
            }

            await DeleteAsync(message);
            return;
        }

        if (envelope.Attempts < maxRetries)
        {
            var delays = options.Value.EffectiveRetryDelays;
            var delay = delays.Length == 0 ? TimeSpan.Zero : delays[Math.Min(envelope.Attempts, delays.Length - 1)];
            await invocations.SendAsync(FunctionName, new AsyncEnvelope
            {
                RequestId = envelope.RequestId,
                Version = envelope.Version,
                Qualifier = envelope.Qualifier,
                InvokedFunctionArn = envelope.InvokedFunctionArn,
                Payload = envelope.Payload,
                TraceId = envelope.TraceId,
                ClientContext = envelope.ClientContext,
                AcceptedAt = envelope.AcceptedAt,
                Attempts = invokeCount,
            }, (int)Math.Min(900, delay.TotalSeconds));
            await DeleteAsync(message);
            return;
        }

        await FailAsync(config, envelope, functionArn, DestinationRecord.RetriesExhausted, result, message);
    }

    /// <summary>
    /// A throttle or a system error: the event goes back with a backoff (1 s doubling to 5 min), except for a
    /// function reserved to zero, which runs nothing: Lambda sends its events straight to the failure destination.
    /// </summary>
    private async Task ThrottledAsync(EventInvokeConfig? config, AsyncEnvelope envelope, string functionArn, ReceivedMessage message, LambdaErrorType error)
    {
        if (error == LambdaErrorType.TooManyRequestsException && await GrainFactory.GetGrain<IFunctionGrain>(FunctionName).GetReservedConcurrencyAsync() == 0)
        {
            await FailAsync(config, envelope, functionArn, DestinationRecord.ZeroReservedConcurrency, null, message);
            return;
        }

        var receives = int.Parse(message.SystemAttributes["ApproximateReceiveCount"], System.Globalization.CultureInfo.InvariantCulture);
        var backoff = TimeSpan.FromSeconds(Math.Min(MaximumBackoff.TotalSeconds, Math.Pow(2, Math.Min(receives - 1, 20))));
        await Queue.ChangeVisibilityAsync([(message.ReceiptHandle, (int)backoff.TotalSeconds)]);
    }

    private async Task FailAsync(EventInvokeConfig? config, AsyncEnvelope envelope, string functionArn, string condition, InvocationResult? result, ReceivedMessage message)
    {
        LogDiscarded(logger, FunctionName, envelope.RequestId, condition);
        if (config?.OnFailure is { } onFailure)
        {
            var invokeCount = result is null ? envelope.Attempts : envelope.Attempts + 1;
            await destinations.DeliverAsync(onFailure, DestinationRecord.Build(envelope, functionArn, condition, invokeCount, time.GetUtcNow(), result?.ExecutedVersion, result?.FunctionError, result?.Payload));
        }

        await DeleteAsync(message);
    }

    private Task DeleteAsync(ReceivedMessage message) => Queue.DeleteMessagesAsync([message.ReceiptHandle]);

    private static InvocationRequest Request(AsyncEnvelope envelope) => new()
    {
        RequestId = envelope.RequestId,
        Payload = System.Text.Encoding.UTF8.GetBytes(envelope.Payload),
        InvokedFunctionArn = envelope.InvokedFunctionArn,
        TraceId = envelope.TraceId,
        ClientContext = envelope.ClientContext,
    };

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Asynchronous invocation {RequestId} of {FunctionName} discarded: {Condition}")]
    private static partial void LogDiscarded(ILogger logger, string functionName, string requestId, string condition);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Asynchronous invocation {MessageId} of {FunctionName} could not be settled; it runs again later")]
    private static partial void LogProcessFailed(ILogger logger, Exception exception, string functionName, string messageId);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Polling the asynchronous events of {FunctionName} failed")]
    private static partial void LogPollFailed(ILogger logger, Exception exception, string functionName);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Asynchronous invocation {RequestId} dropped: {FunctionName} or its version no longer exists")]
    private static partial void LogFunctionGone(ILogger logger, string functionName, string requestId);
}

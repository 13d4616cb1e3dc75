using System.Threading.Channels;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Invocation;
using LambdaCluster.Runtimes.Invocation;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LambdaCluster.Gateway.Events;

/// <summary>
/// Asynchronous (Event) invocations: accepted with 202, then run soon after by a few workers through the
/// same pools as synchronous calls. A throttled event waits and tries again (backing off to 5 minutes, for
/// up to Lambda's 6 hours), as Lambda does with throttles of asynchronous invocations. In memory for now: an
/// event accepted by a node that stops before running it is lost (durable queues come with the event-source work).
/// </summary>
public sealed partial class EventInvocationQueue(FunctionInvoker invoker, TimeProvider time, ILogger<EventInvocationQueue> logger) : BackgroundService
{
    private const int Workers = 16;
    private static readonly TimeSpan MaximumEventAge = TimeSpan.FromHours(6);
    private static readonly TimeSpan MaximumBackoff = TimeSpan.FromMinutes(5);
    private readonly Channel<QueuedEvent> _queue = Channel.CreateUnbounded<QueuedEvent>();

    public void Enqueue(string functionName, string version, InvocationRequest request) =>
        _queue.Writer.TryWrite(new QueuedEvent(functionName, version, request, time.GetUtcNow(), TimeSpan.FromSeconds(1)));

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => WorkAsync(stoppingToken)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var queued in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    var result = await invoker.InvokeAsync(queued.FunctionName, queued.Version, queued.Request);
                    if (result.FunctionError is not null)
                    {
                        LogFunctionError(logger, queued.FunctionName, queued.Request.RequestId);
                    }
                }
                catch (LambdaServiceException e) when (e.ErrorType == LambdaErrorType.TooManyRequestsException && time.GetUtcNow() - queued.Accepted < MaximumEventAge)
                {
                    _ = RetryLaterAsync(queued, stoppingToken);
                }
                catch (Exception e)
                {
                    LogFailed(logger, e, queued.FunctionName, queued.Request.RequestId);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RetryLaterAsync(QueuedEvent queued, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(queued.Backoff, time, stoppingToken);
            var next = TimeSpan.FromTicks(Math.Min(queued.Backoff.Ticks * 2, MaximumBackoff.Ticks));
            _queue.Writer.TryWrite(queued with { Backoff = next });
        }
        catch (OperationCanceledException)
        {
        }
    }

    private sealed record QueuedEvent(string FunctionName, string Version, InvocationRequest Request, DateTimeOffset Accepted, TimeSpan Backoff);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Asynchronous invocation {RequestId} of {FunctionName} ended in a function error")]
    private static partial void LogFunctionError(ILogger logger, string functionName, string requestId);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Asynchronous invocation {RequestId} of {FunctionName} could not run")]
    private static partial void LogFailed(ILogger logger, Exception exception, string functionName, string requestId);
}

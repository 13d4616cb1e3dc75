using System.Threading.Channels;
using LambdaCluster.Grains.Invocation;
using LambdaCluster.Runtimes.Invocation;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LambdaCluster.Gateway.Events;

/// <summary>
/// Asynchronous (Event) invocations: accepted with 202, then run soon after by a few workers through the
/// same pools as synchronous calls. In memory for now: an event accepted by a node that stops before
/// running it is lost (durable queues with retries and destinations come with the event-source work).
/// </summary>
public sealed partial class EventInvocationQueue(FunctionInvoker invoker, ILogger<EventInvocationQueue> logger) : BackgroundService
{
    private const int Workers = 16;
    private readonly Channel<(string FunctionName, InvocationRequest Request)> _queue = Channel.CreateUnbounded<(string, InvocationRequest)>();

    public void Enqueue(string functionName, InvocationRequest request) => _queue.Writer.TryWrite((functionName, request));

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => WorkAsync(stoppingToken)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (functionName, request) in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    var result = await invoker.InvokeAsync(functionName, request);
                    if (result.FunctionError is not null)
                    {
                        LogFunctionError(logger, functionName, request.RequestId);
                    }
                }
                catch (Exception e)
                {
                    LogFailed(logger, e, functionName, request.RequestId);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Asynchronous invocation {RequestId} of {FunctionName} ended in a function error")]
    private static partial void LogFunctionError(ILogger logger, string functionName, string requestId);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Asynchronous invocation {RequestId} of {FunctionName} could not run")]
    private static partial void LogFailed(ILogger logger, Exception exception, string functionName, string requestId);
}

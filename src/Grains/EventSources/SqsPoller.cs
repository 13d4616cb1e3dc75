using System.Text.Json;
using System.Text.Json.Nodes;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Grains.Invocation;
using LambdaCluster.Grains.Queues;
using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Runtimes.Invocation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Grains.EventSources;

/// <summary>
/// Polls one SQS queue for one mapping, inside the mapping's grain. Workers each long-poll a batch (BatchSize messages,
/// or what arrived within MaximumBatchingWindowInSeconds), invoke the function with Lambda's aws:sqs event and delete
/// what succeeded: the whole batch, or all but the batchItemFailures the function reported (ReportBatchItemFailures).
/// A failed batch is left alone: it becomes visible again after the queue's visibility timeout, and the queue's
/// redrive policy moves a message that keeps failing to its dead-letter queue. A supervisor sizes the worker count
/// from the backlog (each second, at most five more), up to ScalingConfig.MaximumConcurrency.
/// </summary>
internal sealed partial class SqsPoller(
    EventSourceMapping mapping,
    IGrainFactory grains,
    FunctionInvoker invoker,
    IOptions<NodeOptions> node,
    TimeProvider time,
    ILogger<SqsPoller> logger) : IEventSourcePoller
{
    /// <summary>Lambda's ceiling for one SQS mapping without a ScalingConfig.</summary>
    private const int DefaultMaximumConcurrency = 1000;

    /// <summary>Lambda's cap on one batch's payload.</summary>
    private const int MaxBatchBytes = 6 * 1024 * 1024;

    private readonly CancellationTokenSource _stop = new();
    private readonly string _queueName = QueueNames.FromArn(mapping.EventSourceArn, node.Value.Region, node.Value.AccountId) ?? "";
    private int _workers;
    private int _wanted = 1;

    public bool Running => !_stop.IsCancellationRequested;

    public string? LastProcessingResult { get; private set; }

    private IQueueGrain Queue => grains.GetGrain<IQueueGrain>(_queueName);

    public void Start() => _ = SuperviseAsync(_stop.Token);

    public void Stop() => _stop.Cancel();

    private async Task SuperviseAsync(CancellationToken stopping)
    {
        var maximum = mapping.MaximumConcurrency ?? DefaultMaximumConcurrency;
        var perReceive = Math.Min(10, mapping.BatchSize);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var counts = await Queue.CountsAsync();
                var forBacklog = (counts.Visible + mapping.BatchSize - 1) / mapping.BatchSize;
                _wanted = Math.Clamp(Math.Min(forBacklog, _workers + 5), 1, maximum);
                while (_workers < _wanted)
                {
                    _workers++;
                    _ = WorkAsync(perReceive, stopping);
                }
            }
            catch (QueueServiceException e)
            {
                LastProcessingResult = $"PROBLEM: Error occurred while ReceiveMessage. SQS Error Code: {e.ErrorType}. SQS Error Message: {e.Message}";
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                LogPollFailed(logger, e, mapping.Uuid);
            }

            await Pause.ForAsync(TimeSpan.FromSeconds(1), time, stopping);
        }
    }

    private async Task WorkAsync(int perReceive, CancellationToken stopping)
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var batch = await CollectAsync(perReceive, stopping);
                if (batch.Count == 0)
                {
                    if (_workers > _wanted)
                    {
                        return; // the backlog is gone: fewer pollers will do
                    }

                    continue;
                }

                await ProcessAsync(batch);
            }
        }
        catch (Exception e) when (e is QueueServiceException or TimeoutException or OrleansException)
        {
            LogPollFailed(logger, e, mapping.Uuid);
            await Pause.ForAsync(TimeSpan.FromSeconds(1), time, stopping);
        }
        finally
        {
            _workers--;
        }
    }

    /// <summary>One batch: a long poll, then (with a batching window) more receives until the batch is full or the window closes.</summary>
    private async Task<List<ReceivedMessage>> CollectAsync(int perReceive, CancellationToken stopping)
    {
        var window = TimeSpan.FromSeconds(mapping.MaximumBatchingWindowInSeconds);
        var batch = new List<ReceivedMessage>(await Queue.ReceiveAsync(perReceive, visibilityTimeout: null, waitSeconds: 20));
        if (batch.Count == 0 || window == TimeSpan.Zero)
        {
            return batch;
        }

        var started = time.GetTimestamp();
        var bytes = batch.Sum(m => m.Body.Length);
        while (batch.Count < mapping.BatchSize && bytes < MaxBatchBytes && !stopping.IsCancellationRequested)
        {
            var left = window - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                break;
            }

            var more = await Queue.ReceiveAsync(Math.Min(10, mapping.BatchSize - batch.Count), visibilityTimeout: null, waitSeconds: (int)Math.Min(20, Math.Ceiling(left.TotalSeconds)));
            batch.AddRange(more);
            bytes += more.Sum(m => m.Body.Length);
        }

        return batch;
    }

    private async Task ProcessAsync(List<ReceivedMessage> batch)
    {
        InvocationResult result;
        try
        {
            var version = await FunctionVersions.ResolveAsync(grains, node.Value.Region, node.Value.AccountId, mapping.FunctionName, mapping.Qualifier);
            result = await invoker.InvokeAsync(mapping.FunctionName, version, new InvocationRequest
            {
                RequestId = Guid.NewGuid().ToString(),
                Payload = SqsEvent.Build(batch, mapping.EventSourceArn, node.Value.Region),
                InvokedFunctionArn = FunctionArn,
                // The first record's trace (AWSTraceHeader, from its sender's X-Amzn-Trace-Id) carries the loop count.
                TraceId = batch[0].SystemAttributes.GetValueOrDefault("AWSTraceHeader") is { } trace && trace.StartsWith("Root=", StringComparison.Ordinal) && trace.Length <= 512
                    ? trace
                    : TraceIds.New(time.GetUtcNow()),
            });
        }
        catch (LambdaServiceException e)
        {
            // Throttled or not runnable now: the messages come back after their visibility timeout.
            LastProcessingResult = e.ErrorType == LambdaErrorType.TooManyRequestsException ? "PROBLEM: Function call throttled" : $"PROBLEM: {e.Message}";
            return;
        }

        if (result.FunctionError is not null)
        {
            LastProcessingResult = "PROBLEM: Function call failed";
            return;
        }

        var failed = mapping.ReportBatchItemFailures ? BatchItemFailures.Parse(result.Payload, batch.Select(m => m.MessageId).ToHashSet(StringComparer.Ordinal)) : [];
        if (failed is null)
        {
            LastProcessingResult = "PROBLEM: Function call failed"; // an unreadable partial-failure report fails the whole batch
            return;
        }

        var done = batch.Where(m => !failed.Contains(m.MessageId)).Select(m => m.ReceiptHandle).ToList();
        if (done.Count > 0)
        {
            await Queue.DeleteMessagesAsync(done);
        }

        LastProcessingResult = "OK";
    }

    private string FunctionArn
    {
        get
        {
            var arn = FunctionArns.Function(node.Value.Region, node.Value.AccountId, mapping.FunctionName);
            return mapping.Qualifier is null ? arn : FunctionArns.Qualified(arn, mapping.Qualifier);
        }
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Event source mapping {Uuid}: polling its queue failed; it tries again")]
    private static partial void LogPollFailed(ILogger logger, Exception exception, string uuid);
}

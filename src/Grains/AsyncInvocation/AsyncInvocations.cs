using System.Collections.Concurrent;
using System.Text.Json;
using LambdaCluster.Grains.Pollers;
using LambdaCluster.Grains.Queues;
using LambdaCluster.Runtimes.Invocation;

namespace LambdaCluster.Grains.AsyncInvocation;

/// <summary>
/// Accepts asynchronous invocations: the event goes into its function's internal queue (journaled before this
/// returns, so the 202 that follows is a promise kept across crashes), and the function's dispatcher is woken.
/// </summary>
public sealed class AsyncInvocations(IGrainFactory grains, TimeProvider time)
{
    /// <summary>Lambda accepts an asynchronous event of up to 1 MB (256 KB before 2025); the queue allows a little more for the envelope.</summary>
    private static readonly QueueSettings InternalQueue = new()
    {
        MaximumMessageSize = 1_048_576,
        MessageRetentionPeriod = 1_209_600,
        VisibilityTimeout = 960,
    };

    private readonly ConcurrentDictionary<string, bool> _registered = new(StringComparer.Ordinal);

    /// <summary>The internal queue of a function's asynchronous events (not reachable through the SQS API: its name has a slash).</summary>
    public static string QueueName(string functionName) => $"async/{functionName}";

    public async Task EnqueueAsync(string functionName, string version, string? qualifier, InvocationRequest request)
    {
        var envelope = new AsyncEnvelope
        {
            RequestId = request.RequestId,
            Version = version,
            Qualifier = qualifier,
            InvokedFunctionArn = request.InvokedFunctionArn,
            Payload = System.Text.Encoding.UTF8.GetString(request.Payload),
            TraceId = request.TraceId,
            ClientContext = request.ClientContext,
            AcceptedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        await SendAsync(functionName, envelope, delaySeconds: null);
        await WakeAsync(functionName);
    }

    /// <summary>Puts an envelope (new, or again for a retry after a delay) into the function's queue.</summary>
    internal async Task SendAsync(string functionName, AsyncEnvelope envelope, int? delaySeconds)
    {
        var queue = grains.GetGrain<IQueueGrain>(QueueName(functionName));
        var message = new OutgoingMessage { Body = JsonSerializer.Serialize(envelope, AsyncEnvelopeJsonContext.Default.AsyncEnvelope), DelaySeconds = delaySeconds };
        try
        {
            await queue.SendAsync([message]);
        }
        catch (QueueServiceException e) when (e.ErrorType == QueueErrorType.QueueDoesNotExist)
        {
            await queue.CreateAsync(InternalQueue);
            await queue.SendAsync([message]);
        }
    }

    private async Task WakeAsync(string functionName)
    {
        var dispatcher = grains.GetGrain<IPollerGrain>(AsyncDispatcherGrain.IdOf(functionName));
        if (_registered.TryAdd(functionName, true))
        {
            await grains.GetGrain<IPollerRegistryGrain>(PollerRegistryGrain.Key).AddAsync(dispatcher.GetGrainId());
        }

        await dispatcher.EnsureRunningAsync();
    }
}

using LambdaCluster.Grains.AsyncInvocation;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Grains.Invocation;
using LambdaCluster.Grains.Streams;
using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Runtimes.Invocation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Grains.EventSources;

/// <summary>
/// Polls every shard of one stream for one mapping, inside the mapping's grain (so each shard has exactly one reader).
/// Per shard, in order: read a batch after the checkpoint → split it by partition key over ParallelizationFactor
/// lanes → settle each lane (invoke; on failure retry, bisect, or discard to the on-failure destination by Lambda's
/// rules) → move the checkpoint past the batch, persisted in the grain, so a restart or another silo resumes there.
/// A failing batch blocks its shard until it is settled, as in Lambda.
/// </summary>
internal sealed partial class KinesisPoller(
    EventSourceMapping mapping,
    IReadOnlyDictionary<int, string> checkpoints,
    Func<int, string, Task> saveCheckpoint,
    IGrainFactory grains,
    FunctionInvoker invoker,
    DestinationDelivery destinations,
    IOptions<NodeOptions> node,
    TimeProvider time,
    ILogger<KinesisPoller> logger) : IEventSourcePoller
{
    /// <summary>How often an idle shard is read again (Lambda polls each shard about once a second).</summary>
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(250);

    private readonly CancellationTokenSource _stop = new();
    private readonly string _stream = StreamKeys.FromArn(mapping.EventSourceArn, node.Value.Region, node.Value.AccountId) ?? "";

    public bool Running => !_stop.IsCancellationRequested;

    public string? LastProcessingResult { get; private set; }

    public void Start() => _ = RunAsync(_stop.Token);

    public void Stop() => _stop.Cancel();

    private string FunctionArn
    {
        get
        {
            var arn = FunctionArns.Function(node.Value.Region, node.Value.AccountId, mapping.FunctionName);
            return mapping.Qualifier is null ? arn : FunctionArns.Qualified(arn, mapping.Qualifier);
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        StreamInfo? info = null;
        while (info is null && !stopping.IsCancellationRequested)
        {
            info = await grains.GetGrain<IStreamGrain>(_stream).DescribeAsync();
            if (info is null)
            {
                LastProcessingResult = $"PROBLEM: Stream not found: {mapping.EventSourceArn}";
                await Pause.ForAsync(TimeSpan.FromSeconds(5), time, stopping);
            }
        }

        if (info is null)
        {
            return;
        }

        var role = (await grains.GetGrain<IFunctionGrain>(mapping.FunctionName).GetAsync())?.Role ?? "";
        await Task.WhenAll(Enumerable.Range(0, info.ShardCount).Select(shard => ShardAsync(info, shard, role, stopping)));
    }

    private async Task ShardAsync(StreamInfo info, int shard, string role, CancellationToken stopping)
    {
        var shardGrain = grains.GetGrain<IShardGrain>(StreamKeys.ShardGrainKey(info.Name, shard));
        var position = await StartAsync(shard, shardGrain);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var batch = await CollectAsync(shardGrain, position, info.RetentionPeriodHours, stopping);
                if (batch.Count == 0)
                {
                    await Pause.ForAsync(IdlePoll, time, stopping);
                    continue;
                }

                // Lanes keep the order of each partition key; the checkpoint moves once every lane has settled.
                var lanes = batch.GroupBy(r => StreamKeys.ShardFor(r.PartitionKey, null, mapping.ParallelizationFactor)).Select(g => g.ToList());
                await Task.WhenAll(lanes.Select(lane => SettleAsync(lane, shard, info, role, stopping)));
                if (stopping.IsCancellationRequested)
                {
                    return;
                }

                position = ShardPosition.After(batch[^1].SequenceNumber);
                await saveCheckpoint(shard, batch[^1].SequenceNumber);
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                LogPollFailed(logger, e, mapping.Uuid, shard);
                await Pause.ForAsync(TimeSpan.FromSeconds(1), time, stopping);
            }
        }
    }

    /// <summary>Where a shard's reading starts: after its checkpoint, else at the mapping's starting position (LATEST is fixed and saved at once).</summary>
    private async Task<ShardPosition> StartAsync(int shard, IShardGrain shardGrain)
    {
        if (checkpoints.TryGetValue(shard, out var checkpoint))
        {
            return checkpoint.Length == 0 ? ShardPosition.TrimHorizon : ShardPosition.After(checkpoint);
        }

        switch (mapping.StartingPosition)
        {
            case "LATEST":
                var latest = await shardGrain.LatestAsync() ?? "";
                await saveCheckpoint(shard, latest);
                return latest.Length == 0 ? ShardPosition.TrimHorizon : ShardPosition.After(latest);
            case "AT_TIMESTAMP":
                return new ShardPosition(null, false, mapping.StartingPositionTimestamp?.ToUnixTimeMilliseconds() ?? 0);
            default:
                return ShardPosition.TrimHorizon;
        }
    }

    private async Task<List<StreamRecord>> CollectAsync(IShardGrain shard, ShardPosition position, int retentionHours, CancellationToken stopping)
    {
        var batch = new List<StreamRecord>((await shard.ReadAsync(position, mapping.BatchSize, retentionHours)).Records);
        if (batch.Count == 0 || mapping.MaximumBatchingWindowInSeconds == 0)
        {
            return batch;
        }

        var started = time.GetTimestamp();
        var window = TimeSpan.FromSeconds(mapping.MaximumBatchingWindowInSeconds);
        while (batch.Count < mapping.BatchSize && time.GetElapsedTime(started) < window && !stopping.IsCancellationRequested)
        {
            await Pause.ForAsync(IdlePoll, time, stopping);
            batch.AddRange((await shard.ReadAsync(ShardPosition.After(batch[^1].SequenceNumber), mapping.BatchSize - batch.Count, retentionHours)).Records);
        }

        return batch;
    }

    /// <summary>
    /// Runs a batch until it is settled: success; a partial failure (ReportBatchItemFailures) retries from the lowest
    /// failed record; a failure retries the batch, or with BisectBatchOnFunctionError splits it in two and settles each
    /// half (a split is not a retry); past MaximumRetryAttempts or MaximumRecordAgeInSeconds the batch is discarded to
    /// the on-failure destination.
    /// </summary>
    private async Task SettleAsync(List<StreamRecord> batch, int shard, StreamInfo info, string role, CancellationToken stopping)
    {
        var attempts = 0;
        while (!stopping.IsCancellationRequested)
        {
            var (failedFrom, executedVersion, throttled) = await InvokeAsync(batch, shard, info, role);
            if (throttled)
            {
                await Pause.ForAsync(TimeSpan.FromSeconds(1), time, stopping); // not the function's failure: not a retry either
                continue;
            }

            if (failedFrom is null)
            {
                LastProcessingResult = "OK";
                return;
            }

            LastProcessingResult = "PROBLEM: Function call failed";
            batch = batch[failedFrom.Value..];
            attempts++;
            var oldest = time.GetUtcNow().ToUnixTimeMilliseconds() - batch[0].ArrivalMs;
            if (mapping.MaximumRecordAgeInSeconds >= 0 && oldest > mapping.MaximumRecordAgeInSeconds * 1000L)
            {
                await DiscardAsync(batch, shard, info, "RecordAgeExceeded", attempts, executedVersion);
                return;
            }

            if (mapping.BisectBatchOnFunctionError && batch.Count > 1)
            {
                var half = batch.Count / 2;
                await SettleAsync(batch[..half], shard, info, role, stopping);
                await SettleAsync(batch[half..], shard, info, role, stopping);
                return;
            }

            if (mapping.MaximumRetryAttempts >= 0 && attempts > mapping.MaximumRetryAttempts)
            {
                await DiscardAsync(batch, shard, info, "RetryAttemptsExhausted", attempts, executedVersion);
                return;
            }

            await Pause.ForAsync(TimeSpan.FromMilliseconds(Math.Min(10_000, 200 * attempts)), time, stopping);
        }
    }

    /// <summary>
    /// One invocation with a batch: null when it all succeeded, else the index the failure starts at (0 for the whole
    /// batch); Throttled when it could not run (throttle, node lost).
    /// </summary>
    private async Task<(int? FailedFrom, string? ExecutedVersion, bool Throttled)> InvokeAsync(List<StreamRecord> batch, int shard, StreamInfo info, string role)
    {
        InvocationResult result;
        try
        {
            result = await invoker.InvokeAsync(mapping.FunctionName, await FunctionVersions.ResolveAsync(grains, node.Value.Region, node.Value.AccountId, mapping.FunctionName, mapping.Qualifier), new InvocationRequest
            {
                RequestId = Guid.NewGuid().ToString(),
                Payload = KinesisEvent.Build(batch, StreamKeys.ShardId(shard), StreamKeys.Arn(node.Value.Region, node.Value.AccountId, info.Name), node.Value.Region, role),
                InvokedFunctionArn = FunctionArn,
                TraceId = TraceIds.New(time.GetUtcNow()),
            });
        }
        catch (LambdaServiceException e)
        {
            // A throttle or a node lost: not the function's failure, but the batch still has to run again.
            LogInvokeFailed(logger, mapping.Uuid, shard, e.ErrorType.ToString());
            return (0, null, true);
        }

        if (result.FunctionError is not null)
        {
            return (0, result.ExecutedVersion, false);
        }

        if (!mapping.ReportBatchItemFailures)
        {
            return (null, result.ExecutedVersion, false);
        }

        // Lambda checkpoints at the lowest failed sequence number and retries from there.
        var failed = BatchItemFailures.Parse(result.Payload, batch.Select(r => r.SequenceNumber).ToHashSet(StringComparer.Ordinal));
        return failed switch
        {
            null => (0, result.ExecutedVersion, false),
            { Count: 0 } => (null, result.ExecutedVersion, false),
            _ => (batch.FindIndex(r => failed.Contains(r.SequenceNumber)), result.ExecutedVersion, false),
        };
    }

    private async Task DiscardAsync(List<StreamRecord> batch, int shard, StreamInfo info, string condition, int invokeCount, string? executedVersion)
    {
        LogDiscarded(logger, mapping.Uuid, shard, batch.Count, condition);
        if (mapping.OnFailureDestination is { } destination)
        {
            var record = KinesisEvent.FailureRecord(batch, StreamKeys.ShardId(shard), StreamKeys.Arn(node.Value.Region, node.Value.AccountId, info.Name), FunctionArn, condition, invokeCount, executedVersion, time.GetUtcNow());
            await destinations.DeliverAsync(destination, record);
        }
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "Event source mapping {Uuid}: reading shard {Shard} failed; it tries again")]
    private static partial void LogPollFailed(ILogger logger, Exception exception, string uuid, int shard);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Information, Message = "Event source mapping {Uuid}: invoking with a batch of shard {Shard} failed ({Error}); it runs again")]
    private static partial void LogInvokeFailed(ILogger logger, string uuid, int shard, string error);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Warning, Message = "Event source mapping {Uuid}: {Count} records of shard {Shard} discarded: {Condition}")]
    private static partial void LogDiscarded(ILogger logger, string uuid, int shard, int count, string condition);
}

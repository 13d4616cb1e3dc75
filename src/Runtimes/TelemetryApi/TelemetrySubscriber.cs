using System.Net;
using System.Text;
using System.Threading.Channels;
using LambdaCluster.Runtimes.Logs;
using Microsoft.Extensions.Logging;

namespace LambdaCluster.Runtimes.TelemetryApi;

/// <summary>
/// One extension's subscription: its records queue here and go out in batches by its buffering settings, in order, one
/// batch at a time (an HTTP POST of a JSON array, or newline-delimited JSON on its TCP connection). What cannot be
/// delivered, or does not fit the queue while a slow listener holds it up, is dropped and counted, and the next batch of
/// a platform subscriber opens with a platform.logsDropped record saying so (the Lambda guide's telemetry-api).
/// </summary>
internal sealed partial class TelemetrySubscriber : IDisposable
{
    /// <summary>Records a subscriber may have waiting; beyond it (or beyond four batches' bytes), new ones are dropped.</summary>
    public const int QueueLimit = 20_000;

    private readonly Channel<string> _queue = Channel.CreateBounded<string>(new BoundedChannelOptions(QueueLimit) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly TelemetrySubscriptionRequest _request;
    private readonly IPAddress _address;
    private readonly int? _owner;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _flush = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Stream? _tcp;
    private int _droppedRecords;
    private long _droppedBytes;
    private int _busy;
    private long _queuedBytes;

    public TelemetrySubscriber(string name, TelemetrySubscriptionRequest request, bool logsApi, IPAddress address, int? owner, TimeProvider time, ILogger logger)
    {
        _logger = logger;
        Name = name;
        LogsApi = logsApi;
        _request = request;
        _address = address;
        _owner = owner;
        _time = time;
        _ = Task.Run(RunAsync);
    }

    public string Name { get; }

    /// <summary>True for a subscription through the older Logs API (2020-08-15).</summary>
    public bool LogsApi { get; }

    public TelemetryCategories Categories => _request.Categories;

    public IReadOnlyList<string> Types => _request.Types;

    /// <summary>Queues a record of one of its categories (the caller filters).</summary>
    public void Add(string record)
    {
        var bytes = Encoding.UTF8.GetByteCount(record);
        if (Interlocked.Add(ref _queuedBytes, bytes) > 4L * _request.Buffering.MaxBytes || !_queue.Writer.TryWrite(record))
        {
            Interlocked.Add(ref _queuedBytes, -bytes);
            Interlocked.Increment(ref _droppedRecords);
            Interlocked.Add(ref _droppedBytes, bytes);
        }
    }

    /// <summary>Sends what is queued now, without waiting for the buffering timeout; completes when it went out (or <paramref name="limit"/> passed).</summary>
    public async Task FlushAsync(TimeSpan limit)
    {
        var started = _time.GetTimestamp();
        Interlocked.Exchange(ref _flush, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        while ((_queue.Reader.Count > 0 || Volatile.Read(ref _busy) == 1) && _time.GetElapsedTime(started) < limit)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), _time);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _queue.Writer.TryComplete();
        _tcp?.Dispose();
    }

    /// <summary>Flow: wait for a first record → gather until maxItems, maxBytes, timeoutMs or a flush → send → repeat.</summary>
    private async Task RunAsync()
    {
        var buffering = _request.Buffering;
        var reader = _queue.Reader;
        try
        {
            while (!_stop.IsCancellationRequested && await reader.WaitToReadAsync(_stop.Token))
            {
                Volatile.Write(ref _busy, 1);
                List<string> batch = [];
                long bytes = 0;
                var flush = Volatile.Read(ref _flush).Task;
                using var due = new CancellationTokenSource(TimeSpan.FromMilliseconds(buffering.TimeoutMs), _time);
                while (batch.Count < buffering.MaxItems && bytes < buffering.MaxBytes)
                {
                    if (reader.TryRead(out var record))
                    {
                        var size = Encoding.UTF8.GetByteCount(record);
                        Interlocked.Add(ref _queuedBytes, -size);
                        batch.Add(record);
                        bytes += size;
                        continue;
                    }

                    if (due.IsCancellationRequested || flush.IsCompleted || _stop.IsCancellationRequested || reader.Completion.IsCompleted)
                    {
                        break;
                    }

                    var more = reader.WaitToReadAsync(due.Token).AsTask();
                    if (await Task.WhenAny(more, flush) == flush || (more.IsCompletedSuccessfully && !more.Result))
                    {
                        break; // flushed, or the queue was completed (the environment is gone)
                    }
                }

                await SendAsync(batch, bytes);
                Volatile.Write(ref _busy, 0);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The environment is gone.
        }
        catch (Exception e)
        {
            LogStopped(_logger, e, Name); // a bug: this subscriber gets nothing more, the environment goes on
        }
    }

    private async Task SendAsync(List<string> batch, long bytes)
    {
        if (Interlocked.Exchange(ref _droppedRecords, 0) is > 0 and var droppedRecords && (Categories & TelemetryCategories.Platform) != 0)
        {
            batch.Insert(0, PlatformLogRecords.LogsDropped(_time.GetUtcNow(), "Some logs were dropped because the downstream consumer is slower than the logs production rate", droppedRecords, Interlocked.Exchange(ref _droppedBytes, 0)));
        }

        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            if (_request.Destination.Http)
            {
                await TelemetryTransport.Shared.PostAsync(_address, _owner, _request.Destination, Encoding.UTF8.GetBytes($"[{string.Join(',', batch)}]"), timeout.Token);
            }
            else
            {
                _tcp ??= await TelemetryTransport.ConnectTcpAsync(_address, _request.Destination.Port, _owner, timeout.Token);
                await _tcp.WriteAsync(Encoding.UTF8.GetBytes(string.Join('\n', batch) + "\n"), timeout.Token);
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException or System.Net.Sockets.SocketException or OperationCanceledException or ObjectDisposedException)
        {
            LogDeliveryFailed(_logger, e, Name, batch.Count, e.Message);
            _tcp?.Dispose();
            _tcp = null;
            Interlocked.Add(ref _droppedRecords, batch.Count);
            Interlocked.Add(ref _droppedBytes, bytes);
        }
    }

    [LoggerMessage(EventId = 2601, Level = LogLevel.Debug, Message = "Telemetry subscriber {Name}: {Count} records not delivered ({Problem})")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, string name, int count, string problem);

    [LoggerMessage(EventId = 2602, Level = LogLevel.Error, Message = "Telemetry subscriber {Name} stopped delivering")]
    private static partial void LogStopped(ILogger logger, Exception exception, string name);
}

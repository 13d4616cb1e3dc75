using System.Net;
using LambdaCluster.Runtimes.Logs;
using Microsoft.Extensions.Logging;

namespace LambdaCluster.Runtimes.TelemetryApi;

/// <summary>
/// The Telemetry API (2022-07-01) and Logs API (2020-08-15) side of one environment: its subscribers, and the records of
/// its INIT so far, which a subscriber gets first (an extension subscribes during INIT, after platform.initStart). Records
/// are only made when someone wants them (<see cref="Wants"/>): after INIT, an environment without subscribers builds
/// none. Subscribing closes with INIT (Telemetry.SubscriptionClosed), as in Lambda.
/// </summary>
internal sealed class TelemetryHub : IDisposable
{
    /// <summary>INIT's records kept for late subscribers, in characters (beyond this, the oldest go): a few log lines of 256 KB at most.</summary>
    private const int HistoryLimit = 1024 * 1024;

    private readonly Lock _gate = new();
    private readonly IPAddress _address;
    private readonly int? _owner;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly List<TelemetrySubscriber> _subscribers = [];
    private Queue<(TelemetryCategories Category, string Record)>? _history = new();
    private long _historyChars;
    private volatile TelemetryCategories _wanted = TelemetryCategories.Platform | TelemetryCategories.Function | TelemetryCategories.Extension;

    /// <param name="address">The environment's own address (<see cref="SandboxAddress"/>), where its listeners are.</param>
    /// <param name="owner">The environment's user: a listener owned by anyone else gets nothing (null: not checked, an unconfined node).</param>
    public TelemetryHub(IPAddress address, int? owner, TimeProvider time, ILogger logger)
    {
        _logger = logger;
        _address = address;
        _owner = owner;
        _time = time;
    }

    /// <summary>True when a record of <paramref name="category"/> would go anywhere (always during INIT).</summary>
    public bool Wants(TelemetryCategories category) => (_wanted & category) != 0;

    /// <summary>A record (a <c>{"time","type","record"}</c> document) for every subscriber of its category.</summary>
    public void Publish(TelemetryCategories category, string record)
    {
        TelemetrySubscriber[] subscribers;
        lock (_gate)
        {
            if (_history is { } history)
            {
                history.Enqueue((category, record));
                _historyChars += record.Length;
                while (_historyChars > HistoryLimit && history.TryDequeue(out var oldest))
                {
                    _historyChars -= oldest.Record.Length;
                }
            }

            subscribers = [.. _subscribers];
        }

        foreach (var subscriber in subscribers)
        {
            if ((subscriber.Categories & category) != 0)
            {
                subscriber.Add(record);
            }
        }
    }

    /// <summary>
    /// Subscribes extension <paramref name="name"/>: it gets INIT's records so far, then its own platform.telemetrySubscription
    /// (platform.logsSubscription), then everything new. False when INIT is over.
    /// </summary>
    public bool Subscribe(string name, TelemetrySubscriptionRequest request, bool logsApi)
    {
        var subscriber = new TelemetrySubscriber(name, request, logsApi, _address, _owner, _time, _logger);
        lock (_gate)
        {
            if (_history is null)
            {
                subscriber.Dispose();
                return false;
            }

            foreach (var (category, record) in _history)
            {
                if ((request.Categories & category) != 0)
                {
                    subscriber.Add(record);
                }
            }

            _subscribers.RemoveAll(s =>
            {
                var replaced = s.Name == name && s.LogsApi == logsApi;
                if (replaced)
                {
                    s.Dispose();
                }

                return replaced;
            });
            _subscribers.Add(subscriber);
        }

        Publish(TelemetryCategories.Platform, PlatformLogRecords.Subscription(_time.GetUtcNow(), logsApi ? "platform.logsSubscription" : "platform.telemetrySubscription", name, request.Types));
        return true;
    }

    /// <summary>INIT is over: no more subscriptions, INIT's records are let go, and only what subscribers asked for is made from now on.</summary>
    public void CloseSubscriptions()
    {
        lock (_gate)
        {
            _history = null;
            _wanted = _subscribers.Aggregate(TelemetryCategories.None, (all, s) => all | s.Categories);
        }
    }

    /// <summary>Each subscription's extension, API and types, for the TELEMETRY and LOGS lines at the end of INIT.</summary>
    public IReadOnlyList<(string Name, bool LogsApi, IReadOnlyList<string> Types)> Subscriptions()
    {
        lock (_gate)
        {
            return [.. _subscribers.Select(s => (s.Name, s.LogsApi, s.Types))];
        }
    }

    /// <summary>Sends every subscriber's queued records now (before SHUTDOWN, so that an extension has them before it exits).</summary>
    public Task FlushAsync(TimeSpan limit)
    {
        lock (_gate)
        {
            return Task.WhenAll(_subscribers.Select(s => s.FlushAsync(limit)));
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _history = null;
            _wanted = TelemetryCategories.None;
            foreach (var subscriber in _subscribers)
            {
                subscriber.Dispose();
            }

            _subscribers.Clear();
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;

namespace LambdaCluster.LoadTest;

/// <summary>
/// Keeps <see cref="LoadOptions.Concurrency"/> requests in flight until the duration or request count is
/// reached. Flow: warm-up (not counted) → measured phase with one latency sample and one outcome per
/// request → progress printed every second → sorted samples for the report.
/// </summary>
public sealed class LoadRunner(LoadOptions options, HttpClient http, RequestSigner signer, TextWriter progress)
{
    private readonly string _path = options.RawPath ?? $"/2015-03-31/functions/{Uri.EscapeDataString(options.Function)}/invocations{(options.Qualifier is null ? "" : $"?Qualifier={Uri.EscapeDataString(options.Qualifier)}")}";
    private long _sent;
    private long _completed;
    private long _failed;

    public async Task<LoadResult> RunAsync(ColdStartCounter coldStarts)
    {
        if (options.Warmup > TimeSpan.Zero)
        {
            await PhaseAsync(options.Warmup, null, record: false);
        }

        var coldBefore = await coldStarts.ReadAsync();
        var (elapsed, samples, outcomes) = await PhaseAsync(options.Duration, options.Requests, record: true);
        var coldAfter = await coldStarts.ReadAsync();
        Array.Sort(samples);
        return new LoadResult(elapsed, samples, outcomes, coldAfter - coldBefore);
    }

    private async Task<(TimeSpan Elapsed, long[] Samples, IReadOnlyDictionary<string, long> Outcomes)> PhaseAsync(TimeSpan? duration, long? requests, bool record)
    {
        (_sent, _completed, _failed) = (0, 0, 0);
        var outcomes = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        if (duration is { } limit)
        {
            stop.CancelAfter(limit);
        }

        using var reporter = record ? StartProgress(clock, stop.Token) : null;
        var workers = Enumerable.Range(0, options.Concurrency).Select(w => WorkerAsync(w, requests, outcomes, stop.Token)).ToArray();
        var perWorker = await Task.WhenAll(workers);
        var elapsed = clock.Elapsed;
        return (elapsed, [.. perWorker.SelectMany(s => s)], outcomes);
    }

    private async Task<List<long>> WorkerAsync(int worker, long? requests, ConcurrentDictionary<string, long> outcomes, CancellationToken stop)
    {
        var samples = new List<long>(4096);
        var endpoints = options.Endpoints;
        while (!stop.IsCancellationRequested && (requests is null || Interlocked.Increment(ref _sent) <= requests))
        {
            var endpoint = endpoints[(int)((worker + samples.Count) % endpoints.Count)];
            using var request = signer.Invoke(endpoint, _path, TimeProvider.System);
            var started = Stopwatch.GetTimestamp();
            string outcome;
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, CancellationToken.None);
                outcome = Classify(response);
            }
            catch (HttpRequestException e)
            {
                outcome = $"connection: {e.HttpRequestError}";
            }

            samples.Add(Stopwatch.GetTimestamp() - started);
            outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
            Interlocked.Increment(ref _completed);
            if (outcome != LoadResult.Ok)
            {
                Interlocked.Increment(ref _failed);
            }
        }

        return samples;
    }

    private static string Classify(HttpResponseMessage response)
    {
        if (response.IsSuccessStatusCode)
        {
            return response.Headers.TryGetValues("X-Amz-Function-Error", out var functionError) ? $"FunctionError: {functionError.First()}" : LoadResult.Ok;
        }

        return response.Headers.TryGetValues("x-amzn-ErrorType", out var type) ? type.First() : $"HTTP {(int)response.StatusCode}";
    }

    private Timer StartProgress(Stopwatch clock, CancellationToken stop)
    {
        long last = 0;
        return new Timer(_ =>
        {
            var done = Interlocked.Read(ref _completed);
            progress.WriteLine($"  {clock.Elapsed.TotalSeconds,6:0.0}s  {done,9} done  {done - last,7}/s  {Interlocked.Read(ref _failed),6} not ok");
            last = done;
        }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }
}

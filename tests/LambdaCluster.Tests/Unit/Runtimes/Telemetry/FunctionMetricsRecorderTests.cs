using LambdaCluster.Runtimes.Telemetry;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace LambdaCluster.Tests.Unit.Runtimes.Telemetry;

/// <summary>The console's per-minute figures: what the meter records lands in its minute, and an hour later it is gone.</summary>
public sealed class FunctionMetricsRecorderTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 10, 0, 30, TimeSpan.Zero));

    [Fact]
    public void Invocations_ErrorsThrottlesDurationsAndConcurrency_LandInTheirMinute()
    {
        using var recorder = new FunctionMetricsRecorder(_time);
        var function = LambdaTelemetry.Function("metrics-minute");
        LambdaTelemetry.ConcurrentExecutions.Add(1, function);
        LambdaTelemetry.ConcurrentExecutions.Add(1, function);
        LambdaTelemetry.ConcurrentExecutions.Add(-1, function);
        LambdaTelemetry.ConcurrentExecutions.Add(-1, function);
        LambdaTelemetry.Invocations.Add(2, function);
        LambdaTelemetry.Errors.Add(1, function);
        LambdaTelemetry.Duration.Record(10, function);
        LambdaTelemetry.Duration.Record(1000, function);
        _time.Advance(TimeSpan.FromMinutes(1));
        LambdaTelemetry.Throttles.Add(1, function);
        LambdaTelemetry.Invocations.Add(1, LambdaTelemetry.Function("someone-else"));

        var minutes = recorder.Read("metrics-minute");

        Assert.Equal(2, minutes.Count);
        var first = minutes[0];
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero), first.Start);
        Assert.Equal((2, 1, 0, 2), (first.Invocations, first.Errors, first.Throttles, first.ConcurrentExecutions));
        var counts = new long[DurationBuckets.Count];
        for (var i = 0; i < first.Durations.Length; i += 2)
        {
            counts[first.Durations[i]] += first.Durations[i + 1];
        }

        Assert.InRange(DurationBuckets.Percentile(counts, 50)!.Value, 10, 11);
        Assert.InRange(DurationBuckets.Percentile(counts, 99)!.Value, 1000, 1100);
        Assert.Equal((0, 1, 0), (minutes[1].Invocations, minutes[1].Throttles, minutes[1].ConcurrentExecutions));
    }

    [Fact]
    public void AnHourLater_TheFunctionIsForgotten()
    {
        using var recorder = new FunctionMetricsRecorder(_time);
        LambdaTelemetry.Invocations.Add(1, LambdaTelemetry.Function("metrics-old"));
        _time.Advance(TimeSpan.FromMinutes(59));
        Assert.Single(recorder.Read("metrics-old"));

        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Empty(recorder.Read("metrics-old"));
        Assert.DoesNotContain("metrics-old", recorder.Functions);
    }

    [Theory]
    [InlineData(0.001, 0)]
    [InlineData(0.011, 1)]
    [InlineData(900_000, DurationBuckets.Count - 1)]
    [InlineData(double.NaN, 0)]
    public void Durations_FallInBucketsWhoseBoundIsWithinTenPercent(double milliseconds, int bucket)
    {
        Assert.Equal(bucket, DurationBuckets.Of(milliseconds));
        if (milliseconds > 0.01)
        {
            Assert.InRange(DurationBuckets.UpperBound(DurationBuckets.Of(milliseconds)), milliseconds, milliseconds * 1.1 + 1e-9);
        }
    }

    [Fact]
    public void APercentileOfNothing_IsNull()
    {
        Assert.Null(DurationBuckets.Percentile(new long[DurationBuckets.Count], 99));
    }
}

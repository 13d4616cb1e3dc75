using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace LambdaCluster.Runtimes.Telemetry;

/// <summary>
/// The cluster's own metrics (CloudWatch's Lambda figures) and trace source. Every metric carries only the
/// function name as a dimension, as CloudWatch does, so series stay bounded by the number of functions.
/// </summary>
public static class LambdaTelemetry
{
    public const string Name = "LambdaCluster";

    public static readonly Meter Meter = new(Name);

    public static readonly ActivitySource Source = new(Name);

    public static readonly Counter<long> Invocations = Meter.CreateCounter<long>("lambda.invocations", description: "Invocations that ran, successful or not (CloudWatch Invocations).");

    public static readonly Counter<long> Errors = Meter.CreateCounter<long>("lambda.errors", description: "Invocations that ended in a function error (CloudWatch Errors).");

    public static readonly Counter<long> Throttles = Meter.CreateCounter<long>("lambda.throttles", description: "Invocation requests refused with TooManyRequestsException (CloudWatch Throttles).");

    public static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("lambda.duration", unit: "ms", description: "Time the function code ran per invocation (CloudWatch Duration).");

    public static readonly UpDownCounter<long> ConcurrentExecutions = Meter.CreateUpDownCounter<long>("lambda.concurrent_executions", description: "Invocations running right now on this node (CloudWatch ConcurrentExecutions, summed over nodes).");

    public static readonly Counter<long> ColdStarts = Meter.CreateCounter<long>("lambda.cold_starts", description: "Invocations that started a new execution environment.");

    public static readonly Histogram<double> InitDuration = Meter.CreateHistogram<double>("lambda.init_duration", unit: "ms", description: "INIT phase of new execution environments (on-demand and provisioned).");

    public static readonly Counter<long> Dispatches = Meter.CreateCounter<long>("lambda.dispatches", description: "Invocations a silo's dispatcher ran, by where their environment came from (lease: held between calls, local from the pool, remote on another silo).");

    public static readonly Counter<long> PrestartedColdStarts = Meter.CreateCounter<long>("lambda.prestarted_cold_starts", description: "Cold starts given a runtime the node had started ahead of its function (pre-started runtimes).");

    public static readonly UpDownCounter<long> SnapStartTemplates = Meter.CreateUpDownCounter<long>("lambda.snapstart_templates", description: "SnapStart templates (a version's snapshot) this node keeps ready.");

    public static readonly UpDownCounter<long> SnapStartTemplateMemory = Meter.CreateUpDownCounter<long>("lambda.snapstart_template_memory", unit: "MiBy", description: "Memory the node's SnapStart templates held when they became ready (their control groups' peak).");

    public static readonly Counter<long> SnapStartRestores = Meter.CreateCounter<long>("lambda.snapstart_restores", description: "Cold starts of SnapStart versions restored from their snapshot (forked from the version's template).");

    public static readonly Counter<long> Prewarms = Meter.CreateCounter<long>("lambda.prewarms", description: "Environments a pool started ahead of a call its version's idle-time history predicted (pre-warming from history).");

    public static readonly Counter<long> PrewarmHits = Meter.CreateCounter<long>("lambda.prewarm_hits", description: "Invocations that found a pre-warmed environment waiting.");

    public static readonly Counter<double> WastedWarmTime = Meter.CreateCounter<double>("lambda.wasted_warm_time", unit: "s", description: "Time environments were kept warm (idle after a call or a pre-warm) and then let go without another invocation.");

    public static KeyValuePair<string, object?> Function(string functionName) => new("function_name", functionName);
}

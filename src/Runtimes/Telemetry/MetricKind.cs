namespace LambdaCluster.Runtimes.Telemetry;

/// <summary>The <see cref="LambdaTelemetry"/> instruments <see cref="FunctionMetricsRecorder"/> keeps, by their names.</summary>
internal enum MetricKind
{
    Invocations,
    Errors,
    Throttles,
    Duration,
    ConcurrentExecutions,
}

namespace LambdaCluster.Runtimes.Logs;

/// <summary>One log event, as CloudWatch Logs holds it (times in epoch milliseconds).</summary>
public sealed record LogEvent(long Timestamp, string Message, long IngestionTime);

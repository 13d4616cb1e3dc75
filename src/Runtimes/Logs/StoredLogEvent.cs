namespace LambdaCluster.Runtimes.Logs;

/// <summary>A log event with where it lives: its stream and its position there (for tokens and event ids).</summary>
public sealed record StoredLogEvent(string StreamName, int Index, LogEvent Event);

namespace LambdaCluster.Runtimes.Logs;

/// <summary>One event as a line of a stream file: timestamp, ingestion time, message.</summary>
public sealed record StoredLine(long T, long I, string M);

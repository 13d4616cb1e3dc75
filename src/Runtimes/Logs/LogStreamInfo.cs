namespace LambdaCluster.Runtimes.Logs;

public sealed record LogStreamInfo(
    string Name, long CreationTime, long? FirstEventTimestamp, long? LastEventTimestamp, long? LastIngestionTime, long StoredBytes);

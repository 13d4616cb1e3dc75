namespace LambdaCluster.Runtimes.Logs;

public sealed record LogGroupInfo(string Name, long CreationTime, long StoredBytes);

namespace LambdaCluster.Gateway.Lambda.Model;

public sealed record AccountLimitDto(long TotalCodeSize, long CodeSizeUnzipped, long CodeSizeZipped, int ConcurrentExecutions, int UnreservedConcurrentExecutions);

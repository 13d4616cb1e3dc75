namespace LambdaCluster.Gateway.Lambda.Model;

public sealed record AccountUsageDto(long TotalCodeSize, long FunctionCount);

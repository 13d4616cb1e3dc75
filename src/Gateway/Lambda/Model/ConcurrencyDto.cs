namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>PutFunctionConcurrency's request and response, GetFunctionConcurrency's response, GetFunction's Concurrency.</summary>
public sealed class ConcurrencyDto
{
    public int? ReservedConcurrentExecutions { get; init; }
}

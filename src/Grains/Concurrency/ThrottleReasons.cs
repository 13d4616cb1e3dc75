namespace LambdaCluster.Grains.Concurrency;

/// <summary>The Reason values of Lambda's TooManyRequestsException that this cluster produces.</summary>
public static class ThrottleReasons
{
    /// <summary>The account's unreserved concurrency is used up.</summary>
    public const string ConcurrentInvocationLimitExceeded = "ConcurrentInvocationLimitExceeded";

    /// <summary>The function's reserved concurrency is used up (or is 0).</summary>
    public const string ReservedFunctionConcurrentInvocationLimitExceeded = "ReservedFunctionConcurrentInvocationLimitExceeded";

    /// <summary>The function is scaling out faster than its scaling rate allows.</summary>
    public const string FunctionInvocationRateLimitExceeded = "FunctionInvocationRateLimitExceeded";
}

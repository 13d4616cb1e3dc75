namespace LambdaCluster.Grains.Errors;

/// <summary>An expected failure with one of Lambda's error types and its message, as the client will see it.</summary>
[GenerateSerializer, Alias("lambda.service-exception")]
public sealed class LambdaServiceException : Exception
{
    public LambdaServiceException(LambdaErrorType errorType, string message, string? reason = null)
        : base(message)
    {
        ErrorType = errorType;
        Reason = reason;
    }

    [Id(0)] public LambdaErrorType ErrorType { get; }

    /// <summary>The Reason member of TooManyRequestsException (e.g. ReservedFunctionConcurrentInvocationLimitExceeded).</summary>
    [Id(1)] public string? Reason { get; }

    public static LambdaServiceException FunctionNotFound(string functionArn) =>
        new(LambdaErrorType.ResourceNotFoundException, $"Function not found: {functionArn}");
}

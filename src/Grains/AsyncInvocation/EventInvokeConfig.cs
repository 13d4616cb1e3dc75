namespace LambdaCluster.Grains.AsyncInvocation;

/// <summary>
/// How asynchronous invocations of one function version or alias are retried and where their outcomes go
/// (Put/Get/Update/Delete/ListFunctionEventInvokeConfig). Unset values take Lambda's defaults.
/// </summary>
[GenerateSerializer, Immutable, Alias("lambda.event-invoke-config")]
public sealed record EventInvokeConfig
{
    /// <summary>Lambda's default: two retries after a function error.</summary>
    public const int DefaultMaximumRetryAttempts = 2;

    /// <summary>Lambda's default and maximum: six hours.</summary>
    public const int DefaultMaximumEventAgeInSeconds = 21_600;

    /// <summary>"$LATEST", a version number or an alias name.</summary>
    [Id(0)] public required string Qualifier { get; init; }
    [Id(1)] public int? MaximumRetryAttempts { get; init; }
    [Id(2)] public int? MaximumEventAgeInSeconds { get; init; }
    /// <summary>ARN of the destination of successful invocations (an SQS queue or a Lambda function).</summary>
    [Id(3)] public string? OnSuccess { get; init; }
    /// <summary>ARN of the destination of invocations that failed for good.</summary>
    [Id(4)] public string? OnFailure { get; init; }
    [Id(5)] public DateTimeOffset LastModified { get; init; }
}

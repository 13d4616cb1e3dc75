namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>Put/UpdateFunctionEventInvokeConfig's request, and the config as Get/List answer it (LastModified in epoch seconds).</summary>
public sealed class FunctionEventInvokeConfigDto
{
    public double? LastModified { get; init; }

    public string? FunctionArn { get; init; }

    public int? MaximumRetryAttempts { get; init; }

    public int? MaximumEventAgeInSeconds { get; init; }

    public DestinationConfigDto? DestinationConfig { get; init; }
}

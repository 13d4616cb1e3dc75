namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>DestinationConfig of an event invoke config (and of an event source mapping: OnFailure only).</summary>
public sealed class DestinationConfigDto
{
    public DestinationDto? OnSuccess { get; init; }

    public DestinationDto? OnFailure { get; init; }
}

namespace LambdaCluster.Gateway.Lambda.Model;

public sealed class DestinationDto
{
    public string? Destination { get; init; }
}

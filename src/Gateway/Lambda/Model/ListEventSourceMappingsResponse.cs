namespace LambdaCluster.Gateway.Lambda.Model;

public sealed class ListEventSourceMappingsResponse
{
    public required IReadOnlyList<EventSourceMappingConfigurationDto> EventSourceMappings { get; init; }

    public string? NextMarker { get; init; }
}

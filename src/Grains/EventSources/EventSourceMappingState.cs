namespace LambdaCluster.Grains.EventSources;

[GenerateSerializer, Alias("lambda.event-source-mapping-state")]
public sealed class EventSourceMappingState
{
    [Id(0)] public EventSourceMapping? Mapping { get; set; }
}

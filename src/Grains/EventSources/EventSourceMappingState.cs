namespace LambdaCluster.Grains.EventSources;

[GenerateSerializer, Alias("lambda.event-source-mapping-state")]
public sealed class EventSourceMappingState
{
    [Id(0)] public EventSourceMapping? Mapping { get; set; }

    /// <summary>Streams: the last sequence number settled per shard index ("" for "from the oldest record").</summary>
    [Id(1)] public Dictionary<int, string> Checkpoints { get; set; } = [];
}

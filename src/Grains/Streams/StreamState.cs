namespace LambdaCluster.Grains.Streams;

[GenerateSerializer, Alias("lambda.stream-state")]
public sealed class StreamState
{
    [Id(0)] public StreamInfo? Info { get; set; }
}

namespace LambdaCluster.Grains.AsyncInvocation;

[GenerateSerializer, Alias("lambda.event-invoke-config-state")]
public sealed class EventInvokeConfigState
{
    [Id(0)] public Dictionary<string, EventInvokeConfig> Configs { get; set; } = new(StringComparer.Ordinal);
}

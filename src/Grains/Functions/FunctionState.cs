namespace LambdaCluster.Grains.Functions;

[GenerateSerializer, Alias("lambda.function-state")]
public sealed class FunctionState
{
    [Id(0)] public FunctionDefinition? Definition { get; set; }
}

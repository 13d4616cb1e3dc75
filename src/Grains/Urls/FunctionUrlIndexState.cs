namespace LambdaCluster.Grains.Urls;

[GenerateSerializer, Alias("lambda.function-url-index-state")]
public sealed class FunctionUrlIndexState
{
    [Id(0)] public FunctionUrlSetting? Setting { get; set; }
}

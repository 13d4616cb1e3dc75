namespace LambdaCluster.Grains.Urls;

/// <summary>Create/UpdateFunctionUrlConfig input; null members are left as they are on update.</summary>
[GenerateSerializer, Immutable, Alias("lambda.function-url-change")]
public sealed record FunctionUrlChange(
    [property: Id(0)] string? Qualifier,
    [property: Id(1)] string? AuthType,
    [property: Id(2)] FunctionUrlCors? Cors,
    [property: Id(3)] string? InvokeMode);

namespace LambdaCluster.Grains.Urls;

/// <summary>A function URL's CORS settings, as Lambda's Cors structure has them.</summary>
[GenerateSerializer, Immutable, Alias("lambda.function-url-cors")]
public sealed record FunctionUrlCors
{
    [Id(0)] public bool? AllowCredentials { get; init; }
    [Id(1)] public IReadOnlyList<string>? AllowHeaders { get; init; }
    [Id(2)] public IReadOnlyList<string>? AllowMethods { get; init; }
    [Id(3)] public IReadOnlyList<string>? AllowOrigins { get; init; }
    [Id(4)] public IReadOnlyList<string>? ExposeHeaders { get; init; }
    [Id(5)] public int? MaxAge { get; init; }
}

namespace LambdaCluster.Grains.Urls;

/// <summary>One function URL: of the function (Qualifier null) or of one alias.</summary>
[GenerateSerializer, Immutable, Alias("lambda.function-url")]
public sealed record FunctionUrlSetting
{
    [Id(0)] public required string UrlId { get; init; }
    [Id(1)] public required string FunctionName { get; init; }
    [Id(2)] public string? Qualifier { get; init; }
    [Id(3)] public required string AuthType { get; init; }
    [Id(4)] public FunctionUrlCors? Cors { get; init; }
    /// <summary>Null until set (Lambda's Create answer then omits it; Get says BUFFERED).</summary>
    [Id(5)] public string? InvokeMode { get; init; }
    [Id(6)] public required DateTimeOffset CreationTime { get; init; }
    [Id(7)] public required DateTimeOffset LastModifiedTime { get; init; }

    /// <summary>
    /// In the URL index only: the resource policy of the URL's function or alias lets anyone call it (see
    /// <see cref="Permissions.PolicyStatement.AllowsPublicUrl"/>); a NONE URL without it answers 403 Forbidden, as Lambda's do.
    /// </summary>
    [Id(8)] public bool Public { get; init; }
}

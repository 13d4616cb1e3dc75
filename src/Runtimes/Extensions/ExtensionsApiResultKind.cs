namespace LambdaCluster.Runtimes.Extensions;

/// <summary>The kinds of <see cref="ExtensionsApiResult"/>.</summary>
internal enum ExtensionsApiResultKind
{
    Registered,
    Event,
    Accepted,
    Forbidden,
}

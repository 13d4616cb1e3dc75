using System.Collections.Concurrent;
using LambdaCluster.Grains.Aliases;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.Lambda;

/// <summary>
/// Which version an invocation runs: $LATEST, a version number as given, or an alias's version (a weighted
/// draw when the alias splits traffic). Aliases are cached for a second per gateway so that the function
/// grain is not in the path of every invocation; an alias change reaches every gateway within that second.
/// </summary>
public sealed class AliasRoutes(IGrainFactory grains, IOptions<NodeOptions> node, TimeProvider time)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<(string Function, string Alias), (AliasDefinition Alias, long At)> _cache = new();

    public static bool IsAlias(string? qualifier) => FunctionVersions.IsAlias(qualifier);

    /// <summary>The version to run; ResourceNotFound when the alias does not exist.</summary>
    public async ValueTask<string> VersionAsync(string function, string? qualifier)
    {
        if (!IsAlias(qualifier))
        {
            return qualifier ?? "$LATEST";
        }

        var alias = await AliasAsync(function, qualifier!);
        return alias.Pick(Random.Shared.NextDouble());
    }

    private async ValueTask<AliasDefinition> AliasAsync(string function, string name)
    {
        if (_cache.TryGetValue((function, name), out var cached) && time.GetElapsedTime(cached.At) < CacheFor)
        {
            return cached.Alias;
        }

        var alias = await grains.GetGrain<IFunctionGrain>(function).GetAliasAsync(name)
            ?? throw LambdaServiceException.FunctionNotFound(FunctionArns.Qualified(FunctionArns.Function(node.Value.Region, node.Value.AccountId, function), name));
        if (_cache.Count > 10_000)
        {
            _cache.Clear();
        }

        _cache[(function, name)] = (alias, time.GetTimestamp());
        return alias;
    }
}

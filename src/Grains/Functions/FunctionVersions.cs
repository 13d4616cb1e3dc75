using LambdaCluster.Grains.Errors;

namespace LambdaCluster.Grains.Functions;

/// <summary>The version a qualifier runs: $LATEST when none, a version as it is, an alias by its routing (weights included).</summary>
public static class FunctionVersions
{
    public static bool IsAlias(string? qualifier) => qualifier is not (null or "$LATEST") && !qualifier.All(char.IsAsciiDigit);

    public static async ValueTask<string> ResolveAsync(IGrainFactory grains, string region, string accountId, string functionName, string? qualifier)
    {
        if (!IsAlias(qualifier))
        {
            return qualifier ?? "$LATEST";
        }

        var alias = await grains.GetGrain<IFunctionGrain>(functionName).GetAliasAsync(qualifier!)
            ?? throw LambdaServiceException.FunctionNotFound(FunctionArns.Qualified(FunctionArns.Function(region, accountId, functionName), qualifier!));
        return alias.Pick(Random.Shared.NextDouble());
    }
}

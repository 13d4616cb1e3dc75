using System.Text.RegularExpressions;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Layers;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.Lambda;

/// <summary>
/// A function's Layers input (layer version ARNs, in extraction order) checked as Lambda checks it: at most
/// five, each an existing version of this account and region, no layer twice.
/// </summary>
public sealed partial class LayerReferences(IGrainFactory grains, IOptions<NodeOptions> node)
{
    public const int MaxLayers = 5;

    /// <summary>The resolved layers, or null when the request did not mention Layers.</summary>
    public async Task<IReadOnlyList<FunctionLayer>?> ResolveAsync(IReadOnlyList<string>? arns)
    {
        if (arns is null)
        {
            return null;
        }

        if (arns.Count > MaxLayers)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, "Cannot reference more than 5 layers.");
        }

        var layers = new List<FunctionLayer>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var arn in arns)
        {
            var (name, version) = Parse(arn);
            if (names.TryGetValue(name, out var other))
            {
                throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException,
                    $"Two different versions of the same layer are not allowed to be referenced in the same function. {other} and {arn} have the same layer name.");
            }

            names[name] = arn;
            var layer = await grains.GetGrain<ILayerGrain>(name).GetAsync(version) ?? throw Missing(arn);
            layers.Add(new FunctionLayer(arn, layer.CodeSize, layer.CodeSha256Hex));
        }

        return layers;
    }

    /// <summary>The layer name and version of a layer version ARN of this account and region.</summary>
    public (string Name, long Version) Parse(string arn)
    {
        var match = ArnPattern().Match(arn);
        if (arn.Length > 140 || !match.Success)
        {
            throw new LambdaServiceException(LambdaErrorType.ValidationException,
                $"1 validation error detected: Value '{arn}' at 'layers' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy regular expression pattern: arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{{12}}:layer:[a-zA-Z0-9-_]+:[0-9]+]");
        }

        if (match.Groups["region"].Value != node.Value.Region || match.Groups["account"].Value != node.Value.AccountId
            || !long.TryParse(match.Groups["version"].Value, out var version))
        {
            throw Missing(arn);
        }

        return (match.Groups["name"].Value, version);
    }

    private static LambdaServiceException Missing(string arn) =>
        new(LambdaErrorType.InvalidParameterValueException, $"Layer version {arn} does not exist.");

    [GeneratedRegex(@"^arn:[a-zA-Z0-9-]+:lambda:(?<region>[a-zA-Z0-9-]+):(?<account>\d{12}):layer:(?<name>[a-zA-Z0-9-_]+):(?<version>[0-9]+)$")]
    private static partial Regex ArnPattern();
}

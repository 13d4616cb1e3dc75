using LambdaCluster.Grains.Errors;

namespace LambdaCluster.Grains.Tagging;

/// <summary>Lambda's tag sets (functions, event source mappings, code signing configs): at most 50 per resource.</summary>
public static class ResourceTags
{
    public const int MaxTags = 50;

    /// <summary>
    /// <paramref name="current"/> with <paramref name="added"/> added or replaced, then <paramref name="removed"/> removed;
    /// InvalidParameterValueException when the result would hold more than <see cref="MaxTags"/>.
    /// </summary>
    public static Dictionary<string, string> Apply(IReadOnlyDictionary<string, string>? current, IReadOnlyDictionary<string, string> added, IReadOnlyList<string> removed)
    {
        var tags = new Dictionary<string, string>(current ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in added)
        {
            tags[key] = value;
        }

        foreach (var key in removed)
        {
            tags.Remove(key);
        }

        return tags.Count <= MaxTags ? tags : throw TooMany();
    }

    public static LambdaServiceException TooMany() =>
        new(LambdaErrorType.InvalidParameterValueException, $"Number of tags exceeds resource tag limit. (Max {MaxTags} tags)");
}

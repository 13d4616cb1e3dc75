using Microsoft.Extensions.Options;

namespace LambdaCluster.Runtimes.Images;

/// <summary>Refuses settings that cannot work: a registry without a host, a size limit that is not positive.</summary>
public sealed class ImageOptionsValidator : IValidateOptions<ImageOptions>
{
    public ValidateOptionsResult Validate(string? name, ImageOptions options)
    {
        if (options.MaxUncompressedBytes <= 0)
        {
            return ValidateOptionsResult.Fail("Images:MaxUncompressedBytes must be positive.");
        }

        return options.Registries.FindIndex(r => string.IsNullOrWhiteSpace(r.Host)) is var i and >= 0
            ? ValidateOptionsResult.Fail($"Images:Registries:{i}:Host is empty.")
            : ValidateOptionsResult.Success;
    }
}

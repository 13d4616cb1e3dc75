using Microsoft.Extensions.Options;

namespace LambdaCluster.Runtimes.Images;

/// <summary>Refuses settings that cannot work: a registry without a host, a size limit that is not positive, a retention or sweep interval too short.</summary>
public sealed class ImageOptionsValidator : IValidateOptions<ImageOptions>
{
    public ValidateOptionsResult Validate(string? name, ImageOptions options)
    {
        if (options.MaxUncompressedBytes <= 0)
        {
            return ValidateOptionsResult.Fail("Images:MaxUncompressedBytes must be positive.");
        }

        if (options.UnusedRetention < TimeSpan.FromHours(1))
        {
            return ValidateOptionsResult.Fail("Images:UnusedRetention must be at least an hour (a pull may take 15 minutes, and its blobs must outlive it).");
        }

        if (options.SweepInterval < TimeSpan.FromMinutes(1))
        {
            return ValidateOptionsResult.Fail("Images:SweepInterval must be at least a minute.");
        }

        return options.Registries.FindIndex(r => string.IsNullOrWhiteSpace(r.Host)) is var i and >= 0
            ? ValidateOptionsResult.Fail($"Images:Registries:{i}:Host is empty.")
            : ValidateOptionsResult.Success;
    }
}

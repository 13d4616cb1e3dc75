using LambdaCluster.Gateway.Lambda.Model;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Runtimes.Code;
using LambdaCluster.Runtimes.Images;

namespace LambdaCluster.Gateway.Lambda;

/// <summary>
/// The control plane's side of container image functions (PackageType Image): the image URI checked and pinned to its
/// manifest digest at create and update (so that every node runs the same bytes; the function's silo pulls it after),
/// and Lambda's refusals, in Lambda's words.
/// </summary>
public sealed class ContainerImages(RegistryClient registry)
{
    /// <summary>An image as the function keeps it: the URI given, the same pinned to its digest, and the digest as CodeSha256.</summary>
    public sealed record Pinned(string ImageUri, string ResolvedImageUri, CodeHash Hash);

    /// <summary>
    /// Resolves <paramref name="uri"/> (a tag to the manifest it names now). InvalidParameterValueException when it is not
    /// an image URI, does not exist, or cannot be read.
    /// </summary>
    public async Task<Pinned> PinAsync(string? uri, CancellationToken cancellationToken)
    {
        if (!ImageReference.TryParse(uri, out var image))
        {
            throw Invalid($"Source image {uri} is not valid. Provide a valid source image.");
        }

        try
        {
            var manifest = await registry.ResolveAsync(image, cancellationToken);
            var hex = manifest.Digest["sha256:".Length..];
            return new Pinned(uri!, image.Pinned(manifest.Digest), new CodeHash(hex, hex));
        }
        catch (ImageException e)
        {
            throw Invalid(e.Failure switch
            {
                ImageFailure.ImageDeleted => $"Source image {uri} does not exist. Provide a valid source image.",
                ImageFailure.ImageAccessDenied => "Lambda does not have permission to access the ECR image. Check the ECR permissions.",
                _ => $"Source image {uri} is not valid. Provide a valid source image. ({e.Message})",
            });
        }
    }

    /// <summary>CreateFunction with PackageType Image: an ImageUri and nothing else as code, no layers.</summary>
    public static void CheckCreate(CreateFunctionRequest request)
    {
        if (request.Code?.ImageUri is null)
        {
            throw Invalid("Please provide a source for function code.");
        }

        if (request.Code.ZipFile is not null || request.Code.S3Bucket is not null)
        {
            throw Invalid("Please don't provide ZipFile or S3 code when creating a function with packageType Image.");
        }

        if (request.Layers is { Count: > 0 })
        {
            throw Invalid("Layers are not supported for functions with packageType Image.");
        }
    }

    /// <summary>UpdateFunctionCode: an image function takes an ImageUri only, a .zip function never one.</summary>
    public static void CheckUpdate(bool isImage, UpdateFunctionCodeRequest request)
    {
        if (isImage && (request.ImageUri is null || request.ZipFile is not null || request.S3Bucket is not null))
        {
            throw Invalid("Please provide ImageUri when updating a function with packageType Image.");
        }

        if (!isImage && request.ImageUri is not null)
        {
            throw Invalid("Please don't provide ImageUri when updating a function with packageType Zip.");
        }
    }

    /// <summary>UpdateFunctionConfiguration: no layers for an image function, no ImageConfig for a .zip one.</summary>
    public static void CheckConfigurationUpdate(bool isImage, UpdateFunctionConfigurationRequest request)
    {
        if (isImage && request.Layers is { Count: > 0 })
        {
            throw Invalid("Layers are not supported for functions with packageType Image.");
        }

        if (!isImage && request.ImageConfig is not null)
        {
            throw Invalid("Please don't provide ImageConfig for a function with packageType Zip.");
        }
    }

    /// <summary>ImageConfig as the function keeps it (null: none given), within Lambda's bounds: at most 1,500 entry point and command elements, a working directory of at most 1,000 characters.</summary>
    public static FunctionImageConfig? Config(ImageConfigDto? config)
    {
        if (config is null)
        {
            return null;
        }

        foreach (var (member, values) in new[] { ("entryPoint", config.EntryPoint), ("command", config.Command) })
        {
            if (values is { Count: > 1500 })
            {
                throw new LambdaServiceException(LambdaErrorType.ValidationException, $"1 validation error detected: Value at 'imageConfig.{member}' failed to satisfy constraint: Member must have length less than or equal to 1500");
            }
        }

        if (config.WorkingDirectory is { Length: > 1000 })
        {
            throw new LambdaServiceException(LambdaErrorType.ValidationException, "1 validation error detected: Value at 'imageConfig.workingDirectory' failed to satisfy constraint: Member must have length less than or equal to 1000");
        }

        return new FunctionImageConfig(config.EntryPoint, config.Command, string.IsNullOrEmpty(config.WorkingDirectory) ? null : config.WorkingDirectory);
    }

    private static LambdaServiceException Invalid(string message) => new(LambdaErrorType.InvalidParameterValueException, message);
}

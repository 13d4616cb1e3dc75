using LambdaCluster.Gateway.CodeSigning;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Runtimes.Code;

namespace LambdaCluster.Gateway.Lambda;

/// <summary>Checks an uploaded deployment package and stores it by hash; a package that is refused changes nothing.</summary>
public sealed class CodePackages(ICodeStore store)
{
    /// <summary>
    /// Validates the package (source, size, zip structure), then runs <paramref name="verify"/> on it (the code signing
    /// checks: it throws to refuse, and returns the signature to record), and only then stores it.
    /// </summary>
    public async Task<(CodeHash Hash, long Size, PackageSignature? Signature)> StoreAsync(byte[]? zipFile, string? s3Bucket, string? imageUri, CancellationToken cancellationToken,
        Func<byte[], PackageSignature?>? verify = null)
    {
        if (imageUri is not null)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, "ImageUri is code of a function with packageType Image; this one takes a .zip deployment package as ZipFile.");
        }

        if (s3Bucket is not null)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, "S3 code locations are not supported by this cluster; upload the .zip deployment package as ZipFile.");
        }

        if (zipFile is null || zipFile.Length == 0)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, "Please provide a source for function code.");
        }

        if (zipFile.Length > ZipPackage.MaxZippedBytes)
        {
            throw new LambdaServiceException(LambdaErrorType.RequestEntityTooLargeException, $"Zipped size must be smaller than {ZipPackage.MaxZippedBytes} bytes");
        }

        if (ZipPackage.Validate(zipFile) is { } problem)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, problem);
        }

        var signature = verify?.Invoke(zipFile);
        var hash = CodeHash.Of(zipFile);
        await store.PutAsync(hash.Hex, zipFile, cancellationToken);
        return (hash, zipFile.Length, signature);
    }
}

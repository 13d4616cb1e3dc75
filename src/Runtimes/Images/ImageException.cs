namespace LambdaCluster.Runtimes.Images;

/// <summary>An image could not be resolved, pulled or unpacked; <see cref="Failure"/> is Lambda's reason code for it.</summary>
public sealed class ImageException(ImageFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public ImageFailure Failure { get; } = failure;
}

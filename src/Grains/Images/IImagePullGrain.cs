namespace LambdaCluster.Grains.Images;

/// <summary>
/// A silo's container images, reached through a grain pinned to that silo (key <c>{silo address}/{32 hex digits}</c>, as
/// <see cref="Environments.EnvironmentKeys"/>): the images are unpacked on that node's disk.
/// </summary>
[Alias("lambda.IImagePullGrain")]
public interface IImagePullGrain : IGrainWithStringKey
{
    /// <summary>
    /// Pulls and unpacks the image (a URI pinned to its digest) on this silo, or finds it there. Null when it is ready,
    /// else Lambda's reason code (ImageDeleted, ImageAccessDenied, InvalidImage) and message.
    /// </summary>
    [Alias("Pull"), ResponseTimeout("00:30:00")]
    Task<ImagePullFailure?> PullAsync(string resolvedImageUri);
}

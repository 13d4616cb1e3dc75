using LambdaCluster.Grains.Placement;
using LambdaCluster.Runtimes.Images;
using Orleans.Placement;

namespace LambdaCluster.Grains.Images;

/// <inheritdoc cref="IImagePullGrain"/>
[SiloPinnedPlacement, Immovable, GrainType("image-pull")]
public sealed class ImagePullGrain(ImageStore images) : Grain, IImagePullGrain
{
    public async Task<ImagePullFailure?> PullAsync(string resolvedImageUri)
    {
        try
        {
            await images.EnsureAsync(resolvedImageUri, CancellationToken.None);
            return null;
        }
        catch (ImageException e)
        {
            return new ImagePullFailure(e.Failure.ToString(), e.Message);
        }
        finally
        {
            DeactivateOnIdle();
        }
    }
}

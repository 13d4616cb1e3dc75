namespace LambdaCluster.Runtimes.Images;

/// <summary>
/// An environment's use of an unpacked image (<see cref="ImageStore.UseAsync"/>): while it lasts, the node never removes
/// the image (the sandbox shows its root as /). Disposed when the environment is gone; disposing twice releases once.
/// </summary>
public sealed class ImageLease : IDisposable
{
    private readonly string _digest;
    private ImageStore? _store;

    internal ImageLease(ImageStore store, string digest, ImageRoot root)
    {
        _store = store;
        _digest = digest;
        Root = root;
    }

    public ImageRoot Root { get; }

    public void Dispose() => Interlocked.Exchange(ref _store, null)?.Release(_digest);
}

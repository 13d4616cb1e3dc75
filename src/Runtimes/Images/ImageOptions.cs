namespace LambdaCluster.Runtimes.Images;

/// <summary>
/// Where container images come from (configuration section <c>Images</c>). Any registry is reached anonymously over HTTPS
/// (plain HTTP for a loopback host); <see cref="Registries"/> adds credentials or plain HTTP per host, and
/// <see cref="EcrRegistry"/> is the registry that ECR-style URIs (<c>&lt;account&gt;.dkr.ecr.&lt;region&gt;.amazonaws.com/repo:tag</c>) are pulled from.
/// </summary>
public sealed class ImageOptions
{
    public const string Section = "Images";

    /// <summary>Lambda's limit on an image's uncompressed size: 10 GB.</summary>
    public const long LambdaMaxUncompressedBytes = 10L * 1024 * 1024 * 1024;

    public List<RegistryOptions> Registries { get; set; } = [];

    /// <summary>The registry (<c>host[:port]</c>) that stands in for ECR; null: ECR URIs are refused as unreachable.</summary>
    public string? EcrRegistry { get; set; }

    /// <summary>An image whose layers unpack to more than this is refused (InvalidImage).</summary>
    public long MaxUncompressedBytes { get; set; } = LambdaMaxUncompressedBytes;

    /// <summary>
    /// An unpacked image that no environment of this node has used for this long is removed, and so are the layer blobs
    /// no pull has used for as long: the next cold start of its function pulls it again. At least an hour.
    /// </summary>
    public TimeSpan UnusedRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often the node looks for images to remove (<see cref="ImageSweeper"/>). At least a minute.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);
}

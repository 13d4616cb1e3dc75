namespace LambdaCluster.Runtimes.FileSystems;

/// <summary>
/// The shared file systems this node mounts into functions (section <c>FileSystems</c>), as EFS access points: Lambda's
/// FileSystemConfigs name an access point by ARN, and each entry here says which directory of this node it is. Every node
/// of a cluster lists the same ARNs over the same shared storage (an NFS or other mount each node has at the same path).
/// </summary>
public sealed class FileSystemOptions
{
    public const string Section = "FileSystems";

    /// <summary>The access points.</summary>
    public List<AccessPointOptions> AccessPoints { get; set; } = [];

    /// <summary>The access point with this ARN, or null.</summary>
    public AccessPointOptions? AccessPoint(string arn) => AccessPoints.Find(a => a.Arn == arn);
}

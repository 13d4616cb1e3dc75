namespace LambdaCluster.Runtimes.FileSystems;

/// <summary>EFS's RootDirectory: where in the file system the access point starts.</summary>
public sealed class RootDirectoryOptions
{
    /// <summary>An absolute path inside the file system (default /).</summary>
    public string Path { get; set; } = "/";

    /// <summary>Owner and permissions for making <see cref="Path"/> on first use; null: a missing directory fails the mount.</summary>
    public CreationInfoOptions? CreationInfo { get; set; }
}

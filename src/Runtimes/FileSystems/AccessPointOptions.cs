namespace LambdaCluster.Runtimes.FileSystems;

/// <summary>
/// One access point (EFS's AccessPoint, https://docs.aws.amazon.com/efs/latest/ug/efs-access-points.html): a file
/// system's directory (<see cref="Path"/> on this node), the directory inside it functions see as the root
/// (<see cref="RootDirectory"/>, made with its CreationInfo when missing), and the POSIX identity every file operation
/// through it uses (<see cref="PosixUser"/>).
/// </summary>
public sealed class AccessPointOptions
{
    /// <summary>The ARN functions name (arn:aws:elasticfilesystem:REGION:ACCOUNT:access-point/fsap-17 hex digits).</summary>
    public string Arn { get; set; } = "";

    /// <summary>The file system's root on this node: an absolute path (a local folder, or a shared mount such as NFS).</summary>
    public string Path { get; set; } = "";

    /// <summary>
    /// The user and groups the function's processes run as when it mounts this access point (required): every file they
    /// make through it is this user's, as with EFS. Unlike Lambda, where only the file operations take this identity, the
    /// whole process has it here.
    /// </summary>
    public PosixUserOptions? PosixUser { get; set; }

    /// <summary>The directory under <see cref="Path"/> exposed as the file system's root (default /).</summary>
    public RootDirectoryOptions RootDirectory { get; set; } = new();
}

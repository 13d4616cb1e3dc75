using System.Globalization;
using LambdaCluster.Runtimes.Invocation;
using LambdaCluster.Runtimes.Launch;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Runtimes.FileSystems;

/// <summary>
/// Resolves a function's FileSystemConfig to a directory of this node, as mounting an EFS access point does: the access
/// point's root directory inside the file system, made with its CreationInfo (owner, permissions) the first time, as EFS
/// makes it (https://docs.aws.amazon.com/efs/latest/ug/efs-access-points.html#enforce-root-directory-access-point).
/// </summary>
public sealed class AccessPointMounts(IOptions<FileSystemOptions> options)
{
    /// <summary>
    /// The mount for <paramref name="config"/>. Throws <see cref="LaunchRefusedException"/> (Lambda's
    /// EFSMountFailureException) when the access point is not defined here, its file system's directory is missing, or
    /// its root directory is missing without CreationInfo.
    /// </summary>
    public AccessPointMount Prepare(FileSystemConfig config)
    {
        var accessPoint = options.Value.AccessPoint(config.Arn) ?? throw Refused(config.Arn, "the access point is not defined on this node (FileSystems:AccessPoints)");
        // Functions write into the file system, and one access point's functions could leave a symbolic link where another's
        // root directory goes: its path is resolved, and must stay inside the file system, before anything is made or mounted.
        var fileSystem = LibC.RealPath(accessPoint.Path) ?? throw Refused(config.Arn, $"its file system ({accessPoint.Path}) is not mounted on this node");
        var directory = Path.GetFullPath(Path.Join(fileSystem, accessPoint.RootDirectory.Path));
        if (!Directory.Exists(directory) && !File.Exists(directory) && new FileInfo(directory).LinkTarget is null)
        {
            if (accessPoint.RootDirectory.CreationInfo is not { } creation)
            {
                throw Refused(config.Arn, $"its root directory {accessPoint.RootDirectory.Path} does not exist and the access point has no CreationInfo");
            }

            var existing = Path.GetDirectoryName(directory);
            while (existing is not null && !Directory.Exists(existing))
            {
                existing = Path.GetDirectoryName(existing);
            }

            if (existing is null || !Inside(LibC.RealPath(existing), fileSystem))
            {
                throw Refused(config.Arn, $"its root directory {accessPoint.RootDirectory.Path} is not a directory inside its file system");
            }

            Directory.CreateDirectory(directory);
            if (LibC.lchown(directory, (int)creation.OwnerUid, (int)creation.OwnerGid) != 0)
            {
                throw Refused(config.Arn, string.Create(CultureInfo.InvariantCulture, $"its root directory could not be given to {creation.OwnerUid}:{creation.OwnerGid}"));
            }

            File.SetUnixFileMode(directory, (UnixFileMode)Convert.ToInt32(creation.Permissions, 8));
        }

        var real = LibC.RealPath(directory);
        if (real is null || !Directory.Exists(real) || !Inside(real, fileSystem))
        {
            throw Refused(config.Arn, $"its root directory {accessPoint.RootDirectory.Path} is not a directory inside its file system");
        }

        return new AccessPointMount(real, config.LocalMountPath, accessPoint.PosixUser!);
    }

    private static bool Inside(string? path, string fileSystem) =>
        path is not null && (path == fileSystem || path.StartsWith(fileSystem.TrimEnd('/') + "/", StringComparison.Ordinal));

    private static LaunchRefusedException Refused(string arn, string why) =>
        new(PlatformFailureReason.FileSystemMountFailed, $"Lambda was not able to mount the file system of access point {arn}: {why}.");
}

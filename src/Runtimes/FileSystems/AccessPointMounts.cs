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
        if (!Directory.Exists(accessPoint.Path))
        {
            throw Refused(config.Arn, $"its file system ({accessPoint.Path}) is not mounted on this node");
        }

        var directory = Path.GetFullPath(Path.Join(accessPoint.Path, accessPoint.RootDirectory.Path));
        if (!Directory.Exists(directory))
        {
            if (accessPoint.RootDirectory.CreationInfo is not { } creation)
            {
                throw Refused(config.Arn, $"its root directory {accessPoint.RootDirectory.Path} does not exist and the access point has no CreationInfo");
            }

            Directory.CreateDirectory(directory);
            File.SetUnixFileMode(directory, (UnixFileMode)Convert.ToInt32(creation.Permissions, 8));
            if (LibC.chown(directory, (int)creation.OwnerUid, (int)creation.OwnerGid) != 0)
            {
                throw Refused(config.Arn, string.Create(CultureInfo.InvariantCulture, $"its root directory could not be given to {creation.OwnerUid}:{creation.OwnerGid}"));
            }
        }

        return new AccessPointMount(directory, config.LocalMountPath, accessPoint.PosixUser);
    }

    private static LaunchRefusedException Refused(string arn, string why) =>
        new(PlatformFailureReason.FileSystemMountFailed, $"Lambda was not able to mount the file system of access point {arn}: {why}.");
}

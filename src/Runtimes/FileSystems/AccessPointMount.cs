namespace LambdaCluster.Runtimes.FileSystems;

/// <summary>What the sandbox mounts for a FileSystemConfig: <see cref="HostDirectory"/> read-write at <see cref="LocalMountPath"/>, the function's processes running as <see cref="User"/>.</summary>
public sealed record AccessPointMount(string HostDirectory, string LocalMountPath, PosixUserOptions User);

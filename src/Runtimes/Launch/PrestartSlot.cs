namespace LambdaCluster.Runtimes.Launch;

/// <summary>
/// Where a runtime started ahead of its function gets its code: <see cref="Folder"/> holds the <c>task</c> and <c>opt</c>
/// folders shown at /var/task and /opt; a sandbox is built in <see cref="MountNamespace"/> (a /proc/…/ns/mnt path), where
/// binds into them are made later; null unconfined.
/// </summary>
public sealed record PrestartSlot(string Folder, string? MountNamespace);

using LambdaCluster.Runtimes.Invocation;

namespace LambdaCluster.Grains.Snapshots;

/// <summary>
/// A silo's SnapStart templates, reached through a grain pinned to that silo (key <c>{silo address}/{32 hex digits}</c>,
/// as <see cref="Environments.EnvironmentKeys"/>): the templates are processes of that node.
/// </summary>
[Alias("lambda.ISnapshotGrain")]
public interface ISnapshotGrain : IGrainWithStringKey
{
    /// <summary>
    /// Makes the snapshot of a SnapStart version on this silo (its template runs INIT and the before-snapshot hooks),
    /// or finds it made. Null when it is ready, else Lambda's error type of its failed INIT.
    /// </summary>
    [Alias("Prepare"), ResponseTimeout("00:16:00")]
    Task<string?> PrepareAsync(EnvironmentSpec spec);

    /// <summary>Stops this silo's templates of a function's version (all its versions when <paramref name="version"/> is null).</summary>
    [Alias("Forget")]
    Task ForgetAsync(string functionName, string? version);
}

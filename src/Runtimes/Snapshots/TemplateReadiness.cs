namespace LambdaCluster.Runtimes.Snapshots;

/// <summary>
/// How a SnapStart template's INIT ended: ready (parked in <c>restore/next</c>, <see cref="ErrorType"/> null), or failed
/// with Lambda's error type (Runtime.BeforeSnapshotError, Runtime.ImportModuleError, Sandbox.Timedout, ...) and the error
/// document the runtime posted, if any.
/// </summary>
public sealed record TemplateReadiness(string? ErrorType, byte[] Body, double InitDurationMs)
{
    public bool Ready => ErrorType is null;
}

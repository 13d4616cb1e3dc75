namespace LambdaCluster.Runtimes.Invocation;

/// <summary>What the invoker may do after a <see cref="PlatformFailureReason"/>.</summary>
public static class PlatformFailures
{
    /// <summary>
    /// True when the function did not run and another environment may well succeed, so the same event can be tried
    /// again under a new lease. Missing code or a launcher that cannot start the runtime would fail the same way again.
    /// </summary>
    public static bool Retryable(PlatformFailureReason reason) => reason is
        PlatformFailureReason.EnvironmentGone or
        PlatformFailureReason.EnvironmentBusy or
        PlatformFailureReason.NoCapacity or
        PlatformFailureReason.StaleRevision;
}

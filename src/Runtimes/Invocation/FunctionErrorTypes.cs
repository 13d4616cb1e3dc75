namespace LambdaCluster.Runtimes.Invocation;

/// <summary>
/// The closed set of error types the platform itself produces for an invocation (the runtime's
/// own types, such as Runtime.ImportModuleError, come from the runtime and pass through unchanged).
/// </summary>
public static class FunctionErrorTypes
{
    public const string Unhandled = "Unhandled";
    public const string SandboxTimedout = "Sandbox.Timedout";
    public const string RuntimeExitError = "Runtime.ExitError";
    public const string RuntimeInvalidEntrypoint = "Runtime.InvalidEntrypoint";
    public const string RuntimeUnknown = "Runtime.Unknown";
    public const string ResponseSizeTooLarge = "Function.ResponseSizeTooLarge";
    public const string SandboxFailure = "Sandbox.Failure";

    /// <summary>SnapStart: the restore (after-restore hooks included) took longer than Lambda's 10 seconds.</summary>
    public const string SnapStartTimeout = "SnapStart.Timeout";

    /// <summary>SnapStart: an after-restore hook raised (what AWS's Python client reports to /runtime/restore/error).</summary>
    public const string AfterRestoreError = "Runtime.AfterRestoreError";

    /// <summary>An external extension could not be started (more than ten of them, say).</summary>
    public const string ExtensionLaunchError = "Extension.LaunchError";
}

using System.Globalization;

namespace LambdaCluster.Runtimes.Logs;

/// <summary>
/// The lines Lambda itself writes into a function's log, byte for byte: fields are separated by tabs
/// and REPORT ends with a tab.
/// </summary>
public static class PlatformLogLines
{
    public static string InitStart(string runtimeVersion, string runtimeVersionArn) =>
        $"INIT_START Runtime Version: {runtimeVersion}\tRuntime Version ARN: {runtimeVersionArn}";

    public static string Start(string requestId, string version) => $"START RequestId: {requestId} Version: {version}";

    public static string End(string requestId) => $"END RequestId: {requestId}";

    /// <summary>
    /// A Telemetry API (<c>TELEMETRY</c>) or Logs API (<c>LOGS</c>) subscription at the end of INIT:
    /// <c>TELEMETRY\tName: x\tState: Subscribed\tTypes: [Platform, Function]</c>.
    /// </summary>
    public static string Subscription(string api, string name, IReadOnlyList<string> types) =>
        $"{api}\tName: {name}\tState: Subscribed\tTypes: [{string.Join(", ", types.Select(t => t.Length == 0 ? t : char.ToUpperInvariant(t[0]) + t[1..]))}]";

    /// <summary>An extension at the end of INIT: <c>EXTENSION\tName: x\tState: Ready\tEvents: [INVOKE, SHUTDOWN]</c> (events in the order it registered them).</summary>
    public static string Extension(string name, string state, IReadOnlyList<string> events) => $"EXTENSION\tName: {name}\tState: {state}\tEvents: [{string.Join(", ", events)}]";

    /// <summary>
    /// REPORT. An environment restored from a SnapStart snapshot reports <paramref name="restoreDurationMs"/> as
    /// <c>Restore Duration</c> and <c>Billed Restore Duration</c> (billed apart from the invocation) instead of Init Duration.
    /// </summary>
    public static string Report(string requestId, double durationMs, int memorySizeMb, int maxMemoryUsedMb, double? initDurationMs, string? status = null, string? errorType = null, double? restoreDurationMs = null)
    {
        var billed = (long)Math.Ceiling(durationMs + (initDurationMs ?? 0));
        var line = string.Create(CultureInfo.InvariantCulture,
            $"REPORT RequestId: {requestId}\tDuration: {durationMs:0.00} ms\tBilled Duration: {Math.Max(1, billed)} ms\tMemory Size: {memorySizeMb} MB\tMax Memory Used: {maxMemoryUsedMb} MB\t");
        if (initDurationMs is { } init)
        {
            line += string.Create(CultureInfo.InvariantCulture, $"Init Duration: {init:0.00} ms\t");
        }

        if (restoreDurationMs is { } restore)
        {
            line += string.Create(CultureInfo.InvariantCulture, $"Restore Duration: {restore:0.00} ms\tBilled Restore Duration: {(long)Math.Ceiling(restore)} ms\t");
        }

        if (status is not null)
        {
            line += $"Status: {status}\t";
            if (errorType is not null)
            {
                line += $"Error Type: {errorType}\t";
            }
        }

        return line;
    }

    public static string InitReport(double initDurationMs, string status, string? errorType) =>
        string.Create(CultureInfo.InvariantCulture, $"INIT_REPORT Init Duration: {initDurationMs:0.00} ms\tPhase: init\tStatus: {status}")
        + (errorType is null ? string.Empty : $"\tError Type: {errorType}");

    /// <summary>SnapStart: an environment begins its restore from the version's snapshot.</summary>
    public static string RestoreStart(string runtimeVersion, string runtimeVersionArn) =>
        $"RESTORE_START Runtime Version: {runtimeVersion}\tRuntime Version ARN: {runtimeVersionArn}";

    /// <summary>SnapStart: the restore ended (the after-restore hooks ran); with a status and error type when it failed.</summary>
    public static string RestoreReport(double restoreDurationMs, string? status, string? errorType) =>
        string.Create(CultureInfo.InvariantCulture, $"RESTORE_REPORT Restore Duration: {restoreDurationMs:0.00} ms")
        + (status is null ? string.Empty : $"\tStatus: {status}") + (errorType is null ? string.Empty : $"\tError Type: {errorType}");

    public static string TaskTimedOut(DateTimeOffset at, string requestId, int timeoutSeconds) =>
        string.Create(CultureInfo.InvariantCulture, $"{at.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ} {requestId} Task timed out after {timeoutSeconds:0.00} seconds");

    /// <summary>Lambda's stream name: <c>YYYY/MM/DD/[version]</c> and 32 lower-case hex digits.</summary>
    public static string StreamName(DateTimeOffset createdAt, string version, string environmentId) =>
        string.Create(CultureInfo.InvariantCulture, $"{createdAt.UtcDateTime:yyyy/MM/dd}/[{version}]{environmentId}");
}

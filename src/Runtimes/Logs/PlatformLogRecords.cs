using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LambdaCluster.Runtimes.Logs;

/// <summary>
/// What Lambda writes about an environment's phases when the function's LoggingConfig LogFormat is JSON: telemetry-API
/// shaped records <c>{"time","type","record"}</c> (platform.initStart, platform.initReport, platform.start,
/// platform.report), as the Lambda guide's telemetry schema reference describes them, in place of
/// <see cref="PlatformLogLines"/>' text lines.
/// </summary>
public static class PlatformLogRecords
{
    public static string InitStart(DateTimeOffset at, string initializationType, string runtimeVersion, string runtimeVersionArn, string functionName, string functionVersion) =>
        Record(at, "platform.initStart", new JsonObject
        {
            ["initializationType"] = initializationType,
            ["phase"] = "init",
            ["runtimeVersion"] = runtimeVersion,
            ["runtimeVersionArn"] = runtimeVersionArn,
            ["functionName"] = functionName,
            ["functionVersion"] = functionVersion,
        });

    public static string InitReport(DateTimeOffset at, string initializationType, double initDurationMs, string status, string? errorType)
    {
        var record = new JsonObject
        {
            ["initializationType"] = initializationType,
            ["phase"] = "init",
            ["status"] = status,
            ["metrics"] = new JsonObject { ["durationMs"] = Round(initDurationMs) },
        };
        if (errorType is not null)
        {
            record["errorType"] = errorType;
        }

        return Record(at, "platform.initReport", record);
    }

    /// <summary>platform.restoreStart: a SnapStart environment begins its restore.</summary>
    public static string RestoreStart(DateTimeOffset at, string runtimeVersion, string runtimeVersionArn, string functionName, string functionVersion) =>
        Record(at, "platform.restoreStart", new JsonObject
        {
            ["runtimeVersion"] = runtimeVersion,
            ["runtimeVersionArn"] = runtimeVersionArn,
            ["functionName"] = functionName,
            ["functionVersion"] = functionVersion,
        });

    /// <summary>platform.restoreReport: the restore's status (success, error or timeout) and duration.</summary>
    public static string RestoreReport(DateTimeOffset at, double restoreDurationMs, string status, string? errorType)
    {
        var record = new JsonObject { ["status"] = status, ["metrics"] = new JsonObject { ["durationMs"] = Round(restoreDurationMs) } };
        if (errorType is not null)
        {
            record["errorType"] = errorType;
        }

        return Record(at, "platform.restoreReport", record);
    }

    public static string Start(DateTimeOffset at, string requestId, string version) =>
        Record(at, "platform.start", new JsonObject { ["requestId"] = requestId, ["version"] = version });

    /// <summary>platform.report: status success, error or timeout (with errorType when not success), and the REPORT line's figures.</summary>
    public static string Report(DateTimeOffset at, string requestId, double durationMs, int memorySizeMb, int maxMemoryUsedMb, double? initDurationMs, string? status, string? errorType, double? restoreDurationMs = null)
    {
        var metrics = new JsonObject
        {
            ["durationMs"] = Round(durationMs),
            ["billedDurationMs"] = Math.Max(1, (long)Math.Ceiling(durationMs + (initDurationMs ?? 0))),
            ["memorySizeMB"] = memorySizeMb,
            ["maxMemoryUsedMB"] = maxMemoryUsedMb,
        };
        if (initDurationMs is { } init)
        {
            metrics["initDurationMs"] = Round(init);
        }

        if (restoreDurationMs is { } restore)
        {
            metrics["restoreDurationMs"] = Round(restore);
            metrics["billedRestoreDurationMs"] = (long)Math.Ceiling(restore);
        }

        var record = new JsonObject { ["requestId"] = requestId, ["metrics"] = metrics, ["status"] = status ?? "success" };
        if (errorType is not null)
        {
            record["errorType"] = errorType;
        }

        return Record(at, "platform.report", record);
    }

    /// <summary>platform.extension: an extension's name, state and the events it registered for, at the end of INIT.</summary>
    public static string Extension(DateTimeOffset at, string name, string state, IReadOnlyList<string> events) =>
        Record(at, "platform.extension", new JsonObject
        {
            ["name"] = name,
            ["state"] = state,
            ["events"] = new JsonArray([.. events.Select(e => (JsonNode?)JsonValue.Create(e))]),
        });

    private static string Record(DateTimeOffset at, string type, JsonObject record) =>
        new JsonObject
        {
            ["time"] = at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            ["type"] = type,
            ["record"] = record,
        }.ToJsonString(Options);

    private static double Round(double value) => Math.Round(value, 3);

    private static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}

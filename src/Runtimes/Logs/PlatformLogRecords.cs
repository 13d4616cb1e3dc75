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

    /// <summary>platform.initRuntimeDone: the runtime's INIT ended (status success, error, failure or timeout; errorType when not success).</summary>
    public static string InitRuntimeDone(DateTimeOffset at, string initializationType, string status, string? errorType)
    {
        var record = new JsonObject { ["initializationType"] = initializationType, ["phase"] = "init", ["status"] = status };
        if (errorType is not null)
        {
            record["errorType"] = errorType;
        }

        return Record(at, "platform.initRuntimeDone", record);
    }

    /// <summary>platform.runtimeDone: the runtime (and the extensions) finished an invocation, with its duration and the bytes it produced.</summary>
    public static string RuntimeDone(DateTimeOffset at, string requestId, string status, string? errorType, double durationMs, long producedBytes)
    {
        var record = new JsonObject
        {
            ["requestId"] = requestId,
            ["status"] = status,
            ["metrics"] = new JsonObject { ["durationMs"] = Round(durationMs), ["producedBytes"] = producedBytes },
        };
        if (errorType is not null)
        {
            record["errorType"] = errorType;
        }

        return Record(at, "platform.runtimeDone", record);
    }

    /// <summary>platform.telemetrySubscription (platform.logsSubscription for the Logs API): an extension subscribed, to these types.</summary>
    public static string Subscription(DateTimeOffset at, string type, string name, IReadOnlyList<string> types) =>
        Record(at, type, new JsonObject
        {
            ["name"] = name,
            ["state"] = "Subscribed",
            ["types"] = new JsonArray([.. types.Select(t => (JsonNode?)JsonValue.Create(t))]),
        });

    /// <summary>platform.logsDropped: records a subscriber lost (its destination refused them, or it fell behind).</summary>
    public static string LogsDropped(DateTimeOffset at, string reason, int droppedRecords, long droppedBytes) =>
        Record(at, "platform.logsDropped", new JsonObject { ["reason"] = reason, ["droppedRecords"] = droppedRecords, ["droppedBytes"] = droppedBytes });

    /// <summary>A <c>function</c> or <c>extension</c> record: the line as a string, or as the object it is when the function logs JSON.</summary>
    public static string Line(DateTimeOffset at, string type, string line, bool json)
    {
        JsonNode? record = null;
        if (json && line.StartsWith('{'))
        {
            try
            {
                record = JsonNode.Parse(line);
            }
            catch (JsonException)
            {
                record = null;
            }
        }

        return new JsonObject
        {
            ["time"] = at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            ["type"] = type,
            ["record"] = record ?? JsonValue.Create(line),
        }.ToJsonString(Options);
    }

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

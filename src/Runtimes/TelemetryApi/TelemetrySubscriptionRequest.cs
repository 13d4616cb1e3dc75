using System.Text.Json;

namespace LambdaCluster.Runtimes.TelemetryApi;

/// <summary>
/// A checked subscription: <c>PUT /2022-07-01/telemetry</c> (or the Logs API's <c>PUT /2020-08-15/logs</c>) with
/// <c>{"schemaVersion","types":[…],"buffering":{"maxItems","maxBytes","timeoutMs"},"destination":{"protocol":"HTTP","URI":"http://sandbox.localdomain:port"}}</c>
/// (or <c>{"protocol":"TCP","port":…}</c>), as the Lambda guide's telemetry-api and the Runtime Interface Emulator's
/// telemetry-subscription-schema.json describe it.
/// </summary>
internal sealed record TelemetrySubscriptionRequest(TelemetryCategories Categories, IReadOnlyList<string> Types, TelemetryBuffering Buffering, TelemetryDestination Destination)
{
    private static readonly string[] TelemetrySchemaVersions = ["2022-07-01", "2022-12-13", "2025-01-29"];
    private static readonly string[] LogsSchemaVersions = ["2020-08-15", "2021-03-18"];

    /// <summary>The request, or null with why it is invalid (Lambda's ValidationError message).</summary>
    public static TelemetrySubscriptionRequest? Parse(byte[] body, bool logsApi, out string? error)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return Parse(document.RootElement, logsApi, out error);
        }
        catch (JsonException e)
        {
            error = $"Invalid JSON: {e.Message}";
            return null;
        }
    }

    private static TelemetrySubscriptionRequest? Parse(JsonElement root, bool logsApi, out string? error)
    {
        error = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Invalid("the request must be a JSON object", out error);
        }

        var versions = logsApi ? LogsSchemaVersions : TelemetrySchemaVersions;
        if (root.TryGetProperty("schemaVersion", out var version))
        {
            if (version.ValueKind != JsonValueKind.String || !versions.Contains(version.GetString()))
            {
                return Invalid($"schemaVersion must be one of {string.Join(", ", versions)}", out error);
            }
        }
        else if (!logsApi)
        {
            return Invalid("missing properties: 'schemaVersion'", out error);
        }

        if (!root.TryGetProperty("types", out var types) || types.ValueKind != JsonValueKind.Array || types.GetArrayLength() == 0)
        {
            return Invalid("types must be a non-empty array of platform, function and extension", out error);
        }

        var categories = TelemetryCategories.None;
        List<string> typeNames = [];
        foreach (var type in types.EnumerateArray())
        {
            var category = type.ValueKind == JsonValueKind.String ? type.GetString() switch
            {
                "platform" => TelemetryCategories.Platform,
                "function" => TelemetryCategories.Function,
                "extension" => TelemetryCategories.Extension,
                _ => TelemetryCategories.None,
            } : TelemetryCategories.None;
            if (category == TelemetryCategories.None)
            {
                return Invalid($"types: {type.GetRawText()} is not one of platform, function, extension", out error);
            }

            if ((categories & category) == 0)
            {
                typeNames.Add(type.GetString()!);
            }

            categories |= category;
        }

        var buffering = logsApi ? TelemetryBuffering.LogsDefault : TelemetryBuffering.Default;
        if (root.TryGetProperty("buffering", out var bufferingJson))
        {
            if (bufferingJson.ValueKind != JsonValueKind.Object
                || !TryBound(bufferingJson, "maxItems", 1_000, 10_000, buffering.MaxItems, out var maxItems, out error)
                || !TryBound(bufferingJson, "maxBytes", 262_144, 1_048_576, buffering.MaxBytes, out var maxBytes, out error)
                || !TryBound(bufferingJson, "timeoutMs", 25, 30_000, buffering.TimeoutMs, out var timeoutMs, out error))
            {
                return Invalid(error ?? "buffering must be an object", out error);
            }

            buffering = new TelemetryBuffering(maxItems, maxBytes, timeoutMs);
        }

        if (!root.TryGetProperty("destination", out var destination) || destination.ValueKind != JsonValueKind.Object
            || !destination.TryGetProperty("protocol", out var protocol) || protocol.ValueKind != JsonValueKind.String)
        {
            return Invalid("destination must be an object with a protocol (HTTP or TCP)", out error);
        }

        switch (protocol.GetString())
        {
            case "HTTP":
                if (!destination.TryGetProperty("URI", out var uriJson) || uriJson.ValueKind != JsonValueKind.String
                    || !Uri.TryCreate(uriJson.GetString(), UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
                {
                    return Invalid("destination.URI must be an http:// URI", out error);
                }

                if (!uri.Host.Equals("sandbox.localdomain", StringComparison.OrdinalIgnoreCase) && !uri.Host.Equals("sandbox", StringComparison.OrdinalIgnoreCase))
                {
                    return Invalid("destination.URI host must be sandbox.localdomain", out error);
                }

                return new TelemetrySubscriptionRequest(categories, typeNames, buffering, new TelemetryDestination(true, uri.Port, uri.PathAndQuery));
            case "TCP":
                if (!destination.TryGetProperty("port", out var port) || port.ValueKind != JsonValueKind.Number || !port.TryGetInt32(out var tcpPort) || tcpPort is < 1 or > 65_535)
                {
                    return Invalid("destination.port must be an integer from 1 to 65535", out error);
                }

                return new TelemetrySubscriptionRequest(categories, typeNames, buffering, new TelemetryDestination(false, tcpPort, ""));
            default:
                return Invalid($"unknown protocol: {protocol.GetString()}. Only TCP and HTTP are supported", out error);
        }
    }

    private static bool TryBound(JsonElement buffering, string name, int min, int max, int fallback, out int value, out string? error)
    {
        error = null;
        value = fallback;
        if (!buffering.TryGetProperty(name, out var json))
        {
            return true;
        }

        if (json.ValueKind != JsonValueKind.Number || !json.TryGetInt32(out value) || value < min || value > max)
        {
            error = $"buffering.{name} must be an integer from {min} to {max}";
            return false;
        }

        return true;
    }

    private static TelemetrySubscriptionRequest? Invalid(string message, out string? error)
    {
        error = message;
        return null;
    }
}

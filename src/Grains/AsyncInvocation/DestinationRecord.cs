using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LambdaCluster.Grains.AsyncInvocation;

/// <summary>
/// Lambda's invocation record, which destinations receive: the request (id, function, condition, invoke count, the
/// event) and the response (status, executed version, function error, the function's result).
/// </summary>
public static class DestinationRecord
{
    public const string Success = "Success";
    public const string RetriesExhausted = "RetriesExhausted";
    public const string EventAgeExceeded = "EventAgeExceeded";
    public const string ZeroReservedConcurrency = "ZeroReservedConcurrency";

    public static string Build(AsyncEnvelope envelope, string functionArn, string condition, int invokeCount, DateTimeOffset now, string? executedVersion, string? functionError, byte[]? response)
    {
        var record = new JsonObject
        {
            ["version"] = "1.0",
            ["timestamp"] = now.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["requestContext"] = new JsonObject
            {
                ["requestId"] = envelope.RequestId,
                ["functionArn"] = functionArn,
                ["condition"] = condition,
                ["approximateInvokeCount"] = invokeCount,
            },
            ["requestPayload"] = Parsed(envelope.Payload),
        };
        if (executedVersion is not null)
        {
            var responseContext = new JsonObject { ["statusCode"] = 200, ["executedVersion"] = executedVersion };
            if (functionError is not null)
            {
                responseContext["functionError"] = functionError;
            }

            record["responseContext"] = responseContext;
            record["responsePayload"] = response is null ? null : Parsed(Encoding.UTF8.GetString(response));
        }

        return record.ToJsonString();
    }

    /// <summary>JSON stays JSON in the record; anything else becomes a string.</summary>
    private static JsonNode? Parsed(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LambdaCluster.Gateway.Http;

/// <summary>The body of a JSON-protocol request (SQS, Kinesis, CloudWatch Logs): an object, empty meaning {}; null when it is not one.</summary>
public static class JsonProtocolBody
{
    public static JsonObject? Read(HttpContext http)
    {
        var body = http.Body();
        if (body.Length == 0)
        {
            return [];
        }

        try
        {
            var input = JsonNode.Parse(body) as JsonObject;
            if (input is not null)
            {
                Unescape(input);
            }

            return input;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Malformed, nested deeper than 64, or a string System.Text.Json cannot unescape (a lone UTF-16 surrogate).
            return null;
        }
    }

    /// <summary>
    /// Reads every name and string once: System.Text.Json unescapes them lazily and throws on a lone surrogate escape,
    /// which would otherwise surface deep in a handler as a server error instead of the client's serialization error.
    /// </summary>
    private static void Unescape(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, value) in obj)
                {
                    if (value is not null)
                    {
                        Unescape(value);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is not null)
                    {
                        Unescape(item);
                    }
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                _ = value.GetValue<string>();
                break;
        }
    }
}

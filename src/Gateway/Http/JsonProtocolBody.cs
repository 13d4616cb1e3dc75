using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LambdaCluster.Gateway.Http;

/// <summary>The body of a JSON-protocol request (SQS, Kinesis): an object, empty meaning {}; null when it is not one.</summary>
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
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

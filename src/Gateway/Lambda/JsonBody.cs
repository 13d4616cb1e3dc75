using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using LambdaCluster.Gateway.Http;
using LambdaCluster.Grains.Errors;
using Microsoft.AspNetCore.Http;

namespace LambdaCluster.Gateway.Lambda;

/// <summary>Reads a JSON request body into its model; malformed or mistyped JSON is a client error, never a crash.</summary>
public static class JsonBody
{
    public static T Read<T>(HttpContext http, JsonTypeInfo<T> type) where T : class, new()
    {
        var body = http.Body();
        if (body.Length == 0)
        {
            return new T();
        }

        try
        {
            return JsonSerializer.Deserialize(body, type) ?? new T();
        }
        catch (JsonException e)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidRequestContentException, $"Could not parse request body into json: {e.Message}");
        }
    }
}

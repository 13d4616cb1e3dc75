using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace LambdaCluster.Gateway.Urls;

/// <summary>A function's result as the HTTP response of its URL, by Lambda's rules.</summary>
public static class FunctionUrlResponse
{
    /// <summary>
    /// A JSON object with <c>statusCode</c> is a structured response (statusCode, headers, cookies, body,
    /// isBase64Encoded); any other JSON is a 200 application/json body (a JSON string is returned bare).
    /// </summary>
    public static async Task WriteAsync(HttpResponse response, byte[] payload)
    {
        using var document = JsonDocument.Parse(payload);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("statusCode", out var status))
        {
            response.StatusCode = status.ValueKind == JsonValueKind.Number ? status.GetInt32()
                : int.TryParse(status.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 500;
            if (root.TryGetProperty("headers", out var headers) && headers.ValueKind == JsonValueKind.Object)
            {
                foreach (var header in headers.EnumerateObject())
                {
                    response.Headers[header.Name] = header.Value.ValueKind == JsonValueKind.String ? header.Value.GetString() : header.Value.GetRawText();
                }
            }

            if (root.TryGetProperty("cookies", out var cookies) && cookies.ValueKind == JsonValueKind.Array)
            {
                response.Headers.SetCookie = cookies.EnumerateArray().Select(c => c.GetString()).ToArray();
            }

            if (!response.Headers.ContainsKey("Content-Type"))
            {
                response.ContentType = "application/json";
            }

            var body = root.TryGetProperty("body", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString()! : "";
            var base64 = root.TryGetProperty("isBase64Encoded", out var flag) && flag.ValueKind == JsonValueKind.True;
            var bytes = base64 ? Convert.FromBase64String(body) : Encoding.UTF8.GetBytes(body);
            response.ContentLength = bytes.Length;
            await response.Body.WriteAsync(bytes);
            return;
        }

        var plain = root.ValueKind == JsonValueKind.String ? Encoding.UTF8.GetBytes(root.GetString()!) : JsonSerializer.SerializeToUtf8Bytes(root);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.ContentLength = plain.Length;
        await response.Body.WriteAsync(plain);
    }
}

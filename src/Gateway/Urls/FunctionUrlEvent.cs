using System.Globalization;
using System.Text;
using System.Text.Json;
using LambdaCluster.Grains.Urls;
using Microsoft.AspNetCore.Http;

namespace LambdaCluster.Gateway.Urls;

/// <summary>An HTTP request to a function URL as Lambda's payload format 2.0 event.</summary>
public static class FunctionUrlEvent
{
    public static byte[] Build(HttpContext http, FunctionUrlSetting url, string domain, string rawPath, byte[] body, string accountId, string? callerAccessKey, DateTimeOffset now)
    {
        var request = http.Request;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("version", "2.0");
            json.WriteString("routeKey", "$default");
            json.WriteString("rawPath", rawPath);
            json.WriteString("rawQueryString", request.QueryString.HasValue ? request.QueryString.Value![1..] : "");
            var cookies = request.Headers.Cookie.SelectMany(c => (c ?? "").Split("; ", StringSplitOptions.RemoveEmptyEntries)).ToList();
            if (cookies.Count > 0)
            {
                json.WriteStartArray("cookies");
                cookies.ForEach(json.WriteStringValue);
                json.WriteEndArray();
            }

            json.WriteStartObject("headers");
            foreach (var (name, values) in request.Headers)
            {
                if (!name.Equals("Cookie", StringComparison.OrdinalIgnoreCase))
                {
                    json.WriteString(name.ToLowerInvariant(), string.Join(',', values.ToArray()));
                }
            }

            json.WriteString("x-forwarded-proto", request.Scheme);
            json.WriteString("x-forwarded-for", http.Connection.RemoteIpAddress?.ToString() ?? "");
            json.WriteEndObject();
            if (request.Query.Count > 0)
            {
                json.WriteStartObject("queryStringParameters");
                foreach (var (name, values) in request.Query)
                {
                    json.WriteString(name, string.Join(',', values.ToArray()));
                }

                json.WriteEndObject();
            }

            json.WriteStartObject("requestContext");
            json.WriteString("accountId", callerAccessKey is null ? "anonymous" : accountId);
            json.WriteString("apiId", url.UrlId);
            if (callerAccessKey is not null)
            {
                json.WriteStartObject("authorizer");
                json.WriteStartObject("iam");
                json.WriteString("accessKey", callerAccessKey);
                json.WriteString("accountId", accountId);
                json.WriteString("callerId", callerAccessKey);
                json.WriteNull("cognitoIdentity");
                json.WriteNull("principalOrgId");
                json.WriteString("userArn", $"arn:aws:iam::{accountId}:user/{callerAccessKey}");
                json.WriteString("userId", callerAccessKey);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteString("domainName", domain);
            json.WriteString("domainPrefix", url.UrlId);
            json.WriteStartObject("http");
            json.WriteString("method", request.Method);
            json.WriteString("path", rawPath);
            json.WriteString("protocol", request.Protocol);
            json.WriteString("sourceIp", http.Connection.RemoteIpAddress?.ToString() ?? "");
            json.WriteString("userAgent", request.Headers.UserAgent.ToString());
            json.WriteEndObject();
            json.WriteString("requestId", http.TraceIdentifier);
            json.WriteString("routeKey", "$default");
            json.WriteString("stage", "$default");
            json.WriteString("time", now.UtcDateTime.ToString("dd/MMM/yyyy:HH:mm:ss '+0000'", CultureInfo.InvariantCulture));
            json.WriteNumber("timeEpoch", now.ToUnixTimeMilliseconds());
            json.WriteEndObject();
            var text = IsText(request.ContentType);
            if (body.Length > 0)
            {
                json.WriteString("body", text ? Encoding.UTF8.GetString(body) : Convert.ToBase64String(body));
            }

            json.WriteBoolean("isBase64Encoded", body.Length > 0 && !text);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Bodies passed as text (text/*, JSON, XML); everything else, forms included, arrives base64-encoded.</summary>
    private static bool IsText(string? contentType) =>
        contentType is null
        || contentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
        || contentType.Contains("json", StringComparison.OrdinalIgnoreCase)
        || contentType.Contains("xml", StringComparison.OrdinalIgnoreCase);
}

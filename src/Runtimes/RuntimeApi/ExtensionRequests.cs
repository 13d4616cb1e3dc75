using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace LambdaCluster.Runtimes.RuntimeApi;

/// <summary>
/// What the Extensions, Telemetry and Logs APIs share: the <c>Lambda-Extension-Identifier</c> header that names the
/// calling extension, and their JSON answers (<c>{"errorMessage", "errorType"}</c> for an error, as the Runtime
/// Interface Emulator writes them).
/// </summary>
internal static class ExtensionRequests
{
    public const string IdentifierHeader = "Lambda-Extension-Identifier";

    /// <summary>
    /// The identifier (a GUID, in its canonical form), or null with Lambda's 403 written: Extension.MissingExtensionIdentifier
    /// or Extension.InvalidExtensionIdentifier. Whether an extension has it is the caller's to check (UnknownExtensionIdentifier).
    /// </summary>
    public static async Task<string?> IdentifierAsync(HttpContext http)
    {
        var identifier = http.Request.Headers[IdentifierHeader].ToString();
        if (identifier.Length == 0)
        {
            await WriteErrorAsync(http, StatusCodes.Status403Forbidden, "Extension.MissingExtensionIdentifier", $"Missing {IdentifierHeader} header");
            return null;
        }

        if (!Guid.TryParse(identifier, out var id))
        {
            await WriteErrorAsync(http, StatusCodes.Status403Forbidden, "Extension.InvalidExtensionIdentifier", $"Invalid {IdentifierHeader}");
            return null;
        }

        return id.ToString();
    }

    /// <summary>Lambda's 403 for an identifier no extension of this environment has.</summary>
    public static Task WriteUnknownAsync(HttpContext http) =>
        WriteErrorAsync(http, StatusCodes.Status403Forbidden, "Extension.UnknownExtensionIdentifier", $"Unknown extension {http.Request.Headers[IdentifierHeader]}");

    public static Task WriteErrorAsync(HttpContext http, int status, string errorType, string message) =>
        WriteJsonAsync(http, status, JsonSerializer.SerializeToUtf8Bytes(new RuntimeApiError(message, errorType), RuntimeApiJsonContext.Default.RuntimeApiError));

    public static Task WriteJsonAsync(HttpContext http, int status, byte[] body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = body.Length;
        return http.Response.Body.WriteAsync(body).AsTask();
    }
}

using System.Text.Json;
using LambdaCluster.Grains.Errors;
using Microsoft.AspNetCore.Http;

namespace LambdaCluster.Gateway.Errors;

/// <summary>
/// Writes errors the way Lambda does, so botocore and the JavaScript SDK turn them into their typed
/// exceptions: the type in <c>x-amzn-ErrorType</c>, a JSON body whose message member has the casing of
/// that exception's model (Message or message), and Type User or Service.
/// </summary>
public static class LambdaErrors
{
    public static int Status(LambdaErrorType type) => type switch
    {
        LambdaErrorType.ResourceNotFoundException or LambdaErrorType.ProvisionedConcurrencyConfigNotFoundException or LambdaErrorType.CodeSigningConfigNotFoundException => 404,
        LambdaErrorType.ResourceConflictException or LambdaErrorType.SnapStartNotReadyException => 409,
        LambdaErrorType.SnapStartTimeoutException => 408,
        LambdaErrorType.AccessDeniedException or LambdaErrorType.EFSMountFailureException => 403,
        LambdaErrorType.InvalidSubnetIDException or LambdaErrorType.InvalidSecurityGroupIDException or LambdaErrorType.SubnetIPAddressLimitReachedException => 502,
        LambdaErrorType.PreconditionFailedException => 412,
        LambdaErrorType.RequestTooLargeException or LambdaErrorType.RequestEntityTooLargeException => 413,
        LambdaErrorType.UnsupportedMediaTypeException => 415,
        LambdaErrorType.TooManyRequestsException => 429,
        LambdaErrorType.ServiceException => 500,
        _ => 400,
    };

    public static Task WriteAsync(HttpContext http, LambdaServiceException error) =>
        WriteAsync(http, error.ErrorType, error.Message, error.Reason);

    public static Task WriteAsync(HttpContext http, LambdaErrorType type, string message, string? reason = null)
    {
        var status = Status(type);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (reason is not null)
            {
                json.WriteString("Reason", reason);
            }

            if (type is not (LambdaErrorType.ValidationException or LambdaErrorType.RequestEntityTooLargeException or LambdaErrorType.AccessDeniedException))
            {
                json.WriteString("Type", status >= 500 ? "Service" : "User");
            }

            json.WriteString(UsesCapitalMessage(type) ? "Message" : "message", message);
            json.WriteEndObject();
        }

        return WriteRawAsync(http, status, type.ToString(), buffer.ToArray());
    }

    /// <summary>An error outside the Lambda model (authentication), answered as AWS answers it.</summary>
    public static Task WriteUnmodeledAsync(HttpContext http, int status, string code, string message)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["message"] = message });
        return WriteRawAsync(http, status, code, body);
    }

    private static async Task WriteRawAsync(HttpContext http, int status, string code, byte[] body)
    {
        http.Response.StatusCode = status;
        http.Response.Headers["x-amzn-ErrorType"] = code;
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = body.Length;
        await http.Response.Body.WriteAsync(body);
    }

    private static bool UsesCapitalMessage(LambdaErrorType type) =>
        type is LambdaErrorType.ResourceNotFoundException or LambdaErrorType.ServiceException or LambdaErrorType.CodeSigningConfigNotFoundException
            or LambdaErrorType.CodeVerificationFailedException or LambdaErrorType.InvalidCodeSignatureException
            or LambdaErrorType.AccessDeniedException or LambdaErrorType.RecursiveInvocationException
            or LambdaErrorType.SnapStartException or LambdaErrorType.SnapStartTimeoutException or LambdaErrorType.SnapStartNotReadyException
            or LambdaErrorType.InvalidSubnetIDException or LambdaErrorType.InvalidSecurityGroupIDException or LambdaErrorType.SubnetIPAddressLimitReachedException
            or LambdaErrorType.EFSMountFailureException;
}

using Microsoft.AspNetCore.Http;

namespace LambdaCluster.Gateway.Auth;

/// <summary>
/// What a function may do with the temporary credentials its environment was given (<see cref="Grains.Credentials.FunctionCredentials"/>).
/// This cluster has no IAM, so the policy is fixed, in the spirit of a basic execution role plus the data plane: invoke
/// functions (Invoke, InvokeWithResponseStream, InvokeAsync), use queues, streams and logs, and read its own function
/// (GetFunction, GetFunctionConfiguration). Everything else, another function's code, configuration or variables among
/// it, is AccessDeniedException, as IAM answers a role without the permission.
/// </summary>
public static class FunctionSessionPolicy
{
    /// <summary>Null when allowed; otherwise AccessDeniedException's message for <paramref name="functionArn"/>.</summary>
    public static string? Check(HttpRequest request, string service, string functionArn)
    {
        if (service is "schemas")
        {
            return Denied(functionArn); // other functions' saved test events
        }

        if (service != "lambda")
        {
            return null; // SQS, Kinesis, CloudWatch Logs and S3: the data plane
        }

        var segments = (request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var ownName = functionArn[(functionArn.LastIndexOf(':') + 1)..];
        var allowed = (request.Method, segments) switch
        {
            ("POST", [_, "functions", _, "invocations" or "response-streaming-invocations" or "invoke-async"]) => true,
            ("GET", [_, "functions", var name]) => NameOf(Uri.UnescapeDataString(name)) == ownName,
            ("GET", [_, "functions", var name, "configuration"]) => NameOf(Uri.UnescapeDataString(name)) == ownName,
            _ => false,
        };
        return allowed ? null : Denied(functionArn);
    }

    private static string Denied(string functionArn) =>
        $"User: {functionArn} is not authorized to perform this operation: a function's temporary credentials may invoke functions, use queues, streams and logs, and read only its own function.";

    /// <summary>The function name in a name, a partial ARN (account:function:name) or a full ARN, without its qualifier.</summary>
    private static string NameOf(string reference)
    {
        var parts = reference.Split(':');
        return parts switch
        {
            ["arn", _, _, _, _, "function", var name, ..] => name,
            [_, "function", var name, ..] => name,
            [var name, ..] => name,
            _ => reference,
        };
    }
}

using System.Text;
using System.Text.Json;
using LambdaCluster.Gateway.Http;
using LambdaCluster.Gateway.Lambda;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Grains.Urls;
using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Runtimes.Invocation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.Invocation;

/// <summary>
/// The one place an HTTP request becomes an invocation, for Invoke, InvokeWithResponseStream and function URLs: the
/// headers Lambda defines (<c>X-Amz-Invocation-Type</c>, <c>X-Amz-Log-Type</c>, <c>X-Amz-Client-Context</c>,
/// <c>X-Amzn-Trace-Id</c>), the target (name, ARN or partial ARN, Qualifier), the payload (size limit, JSON), the
/// invoked ARN and the version an alias routes to. Every refusal is a <see cref="LambdaServiceException"/> with
/// Lambda's error type and wording, thrown before anything runs.
/// </summary>
public sealed class InvokeParser(AliasRoutes aliases, IOptions<NodeOptions> node, TimeProvider time)
{
    /// <summary>Lambda's limit on the base64 <c>X-Amz-Client-Context</c> header.</summary>
    private const int MaxClientContextChars = 3583;

    /// <summary>
    /// Invoke or InvokeWithResponseStream. Flow: invocation type (the operation's set) → log type → target → payload
    /// (the type's limit, then JSON; empty is <c>{}</c>) → request (request id, client context, trace id, the tail only
    /// for a RequestResponse that asks) → the version the qualifier routes to (ResourceNotFound for a missing alias).
    /// </summary>
    public async Task<ParsedInvoke> ParseAsync(HttpContext http, string functionName, InvokeOperation operation)
    {
        var headers = http.Request.Headers;
        var invocationType = headers["X-Amz-Invocation-Type"].FirstOrDefault() ?? "RequestResponse";
        if (!operation.InvocationTypes.Contains(invocationType))
        {
            throw new LambdaServiceException(LambdaErrorType.ValidationException, $"1 validation error detected: Value '{invocationType}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", operation.InvocationTypes)}]");
        }

        var logType = LogType(headers);
        var target = FunctionTarget.From(http, functionName, node.Value.Region, node.Value.AccountId);
        var payload = http.Body();
        var limit = InvokeOperation.PayloadLimit(invocationType);
        if (payload.Length > limit)
        {
            throw new LambdaServiceException(LambdaErrorType.RequestTooLargeException, $"Request must be smaller than {limit} bytes for the {operation.Name} operation");
        }

        var arn = FunctionArns.Function(node.Value.Region, node.Value.AccountId, target.Name);
        var request = Request(http, target.Qualifier is null ? arn : FunctionArns.Qualified(arn, target.Qualifier), CheckJson(payload), ClientContext(headers["X-Amz-Client-Context"].FirstOrDefault()), wantsLogTail: logType == "Tail" && invocationType == "RequestResponse");
        var version = await aliases.VersionAsync(target.Name, target.Qualifier);
        return new ParsedInvoke(target.Name, target.Qualifier, version, invocationType, arn, request);
    }

    /// <summary>A function URL's invocation: <paramref name="event"/> (the payload 2.0 event built from the request) for the URL's function and qualifier.</summary>
    public async Task<ParsedInvoke> ParseUrlAsync(HttpContext http, FunctionUrlSetting url, byte[] @event)
    {
        var arn = FunctionArns.Function(node.Value.Region, node.Value.AccountId, url.FunctionName);
        var request = Request(http, url.Qualifier is null ? arn : FunctionArns.Qualified(arn, url.Qualifier), @event, clientContext: null, wantsLogTail: false);
        var version = await aliases.VersionAsync(url.FunctionName, url.Qualifier);
        return new ParsedInvoke(url.FunctionName, url.Qualifier, version, "RequestResponse", arn, request);
    }

    /// <summary>The <c>X-Amz-Log-Type</c> header, validated: None (the default) or Tail.</summary>
    public static string LogType(IHeaderDictionary headers)
    {
        var logType = headers["X-Amz-Log-Type"].FirstOrDefault() ?? "None";
        return logType is "None" or "Tail"
            ? logType
            : throw new LambdaServiceException(LambdaErrorType.ValidationException, $"1 validation error detected: Value '{logType}' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [None, Tail]");
    }

    /// <summary>An empty payload is the event <c>{}</c>; anything else must be JSON, as Lambda requires (InvalidRequestContentException).</summary>
    public static byte[] CheckJson(byte[] payload)
    {
        if (payload.Length == 0)
        {
            return "{}"u8.ToArray();
        }

        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 256 });
            while (reader.Read())
            {
            }

            return payload;
        }
        catch (JsonException e)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidRequestContentException, $"Could not parse request body into json: Could not parse payload into json: {e.Message}");
        }
    }

    private InvocationRequest Request(HttpContext http, string invokedArn, byte[] payload, string? clientContext, bool wantsLogTail) => new()
    {
        RequestId = http.TraceIdentifier,
        Payload = payload,
        InvokedFunctionArn = invokedArn,
        ClientContext = clientContext,
        TraceId = TraceIds.For(http.Request.Headers["X-Amzn-Trace-Id"].FirstOrDefault(), System.Diagnostics.Activity.Current, time.GetUtcNow()),
        WantsLogTail = wantsLogTail,
    };

    /// <summary>The base64 JSON of <c>X-Amz-Client-Context</c>, decoded; null when absent.</summary>
    private static string? ClientContext(string? header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }

        if (header.Length > MaxClientContextChars)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, "Client context must be at most 3583 bytes.");
        }

        try
        {
            var json = Encoding.UTF8.GetString(Convert.FromBase64String(header));
            using var _ = JsonDocument.Parse(json);
            return json;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidRequestContentException, "Client context must be a valid Base64-encoded JSON object.");
        }
    }
}

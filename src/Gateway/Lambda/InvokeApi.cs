using System.Globalization;
using System.Text;
using System.Text.Json;
using LambdaCluster.Grains.AsyncInvocation;
using LambdaCluster.Gateway.Http;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Grains.Invocation;
using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Runtimes.Invocation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.Lambda;

/// <summary>Invoke (RequestResponse, Event, DryRun) and the deprecated InvokeAsync.</summary>
public sealed class InvokeApi(IGrainFactory grains, FunctionInvoker invoker, AsyncInvocations events, AliasRoutes aliases, IOptions<NodeOptions> node, TimeProvider time)
{
    /// <summary>Lambda's synchronous payload limit.</summary>
    public const int MaxSyncPayloadBytes = 6 * 1024 * 1024;

    /// <summary>Lambda's asynchronous payload limit.</summary>
    public const int MaxAsyncPayloadBytes = 1024 * 1024;

    public async Task InvokeAsync(HttpContext http, string functionName)
    {
        // Flow: parse the target and headers → check the payload (size, JSON) → by invocation type:
        // DryRun answers 204 once the function is known; Event queues the request and answers 202;
        // RequestResponse runs it (pool lease → environment → process) and writes the result with Lambda's headers.
        var headers = http.Request.Headers;
        var invocationType = headers["X-Amz-Invocation-Type"].FirstOrDefault() ?? "RequestResponse";
        if (invocationType is not ("RequestResponse" or "Event" or "DryRun"))
        {
            throw new LambdaServiceException(LambdaErrorType.ValidationException, $"1 validation error detected: Value '{invocationType}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]");
        }

        var logType = LogType(headers);
        var target = FunctionTarget.From(http, functionName, node.Value.Region, node.Value.AccountId);
        var (name, qualifier) = (target.Name, target.Qualifier);
        var payload = http.Body();
        var limit = invocationType == "Event" ? MaxAsyncPayloadBytes : MaxSyncPayloadBytes;
        if (payload.Length > limit)
        {
            throw new LambdaServiceException(LambdaErrorType.RequestTooLargeException, $"Request must be smaller than {limit} bytes for the InvokeFunction operation");
        }

        payload = CheckJson(payload);
        var arn = FunctionArns.Function(node.Value.Region, node.Value.AccountId, name);
        var request = Request(http, target, arn, payload, wantsLogTail: logType == "Tail" && invocationType == "RequestResponse", time);

        var version = await aliases.VersionAsync(name, qualifier);
        if (invocationType != "RequestResponse")
        {
            if (await grains.GetGrain<IFunctionGrain>(name).GetVersionAsync(version) is null)
            {
                throw LambdaServiceException.FunctionNotFound(FunctionArns.Qualified(arn, qualifier ?? "$LATEST"));
            }

            if (invocationType == "Event")
            {
                await events.EnqueueAsync(name, version, qualifier, request); // journaled before the 202
            }

            await LambdaResults.EmptyAsync(http, invocationType == "Event" ? StatusCodes.Status202Accepted : StatusCodes.Status204NoContent);
            return;
        }

        var result = await invoker.InvokeAsync(name, version, request);
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers["X-Amz-Executed-Version"] = result.ExecutedVersion;
        if (result.FunctionError is not null)
        {
            response.Headers["X-Amz-Function-Error"] = result.FunctionError;
        }

        if (result.LogTail is not null)
        {
            response.Headers["X-Amz-Log-Result"] = result.LogTail;
        }

        response.ContentType = result.ContentType;
        response.ContentLength = result.Payload.Length;
        await response.Body.WriteAsync(result.Payload);
    }

    /// <summary>InvokeAsync (deprecated): the body is the event; answered 202 with <c>{"Status":202}</c>.</summary>
    public async Task InvokeAsyncLegacy(HttpContext http, string functionName)
    {
        var name = FunctionTarget.From(http, functionName, node.Value.Region, node.Value.AccountId).Name;
        var payload = CheckJson(http.Body());
        if (payload.Length > MaxAsyncPayloadBytes)
        {
            throw new LambdaServiceException(LambdaErrorType.RequestTooLargeException, $"Request must be smaller than {MaxAsyncPayloadBytes} bytes for the InvokeFunction operation");
        }

        var arn = FunctionArns.Function(node.Value.Region, node.Value.AccountId, name);
        if (await grains.GetGrain<IFunctionGrain>(name).GetAsync() is null)
        {
            throw LambdaServiceException.FunctionNotFound(arn);
        }

        await events.EnqueueAsync(name, "$LATEST", null, new InvocationRequest { RequestId = http.TraceIdentifier, Payload = payload, InvokedFunctionArn = arn, TraceId = TraceIds.New(time.GetUtcNow()) });
        http.Response.StatusCode = StatusCodes.Status202Accepted;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync("{\"Status\":202}");
    }

    /// <summary>The <c>X-Amz-Log-Type</c> header, validated: None (the default) or Tail.</summary>
    internal static string LogType(IHeaderDictionary headers)
    {
        var logType = headers["X-Amz-Log-Type"].FirstOrDefault() ?? "None";
        return logType is "None" or "Tail"
            ? logType
            : throw new LambdaServiceException(LambdaErrorType.ValidationException, $"1 validation error detected: Value '{logType}' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [None, Tail]");
    }

    /// <summary>The invocation as the environment receives it: request id, event, invoked ARN, client context, trace id.</summary>
    internal static InvocationRequest Request(HttpContext http, FunctionTarget target, string functionArn, byte[] payload, bool wantsLogTail, TimeProvider time)
    {
        var headers = http.Request.Headers;
        return new InvocationRequest
        {
            RequestId = http.TraceIdentifier,
            Payload = payload,
            InvokedFunctionArn = target.Qualifier is null ? functionArn : FunctionArns.Qualified(functionArn, target.Qualifier),
            ClientContext = ClientContext(headers["X-Amz-Client-Context"].FirstOrDefault()),
            TraceId = TraceIds.For(headers["X-Amzn-Trace-Id"].FirstOrDefault(), System.Diagnostics.Activity.Current, time.GetUtcNow()),
            WantsLogTail = wantsLogTail,
        };
    }

    /// <summary>An empty payload is the event <c>{}</c>; anything else must be JSON, as Lambda requires.</summary>
    internal static byte[] CheckJson(byte[] payload)
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

    private static string? ClientContext(string? header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }

        if (header.Length > 3583)
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

using System.Text.Json;
using LambdaCluster.Gateway.Http;
using LambdaCluster.Gateway.Lambda;
using LambdaCluster.Gateway.Lambda.Model;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Grains.Invocation;
using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Runtimes.Invocation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.Streaming;

/// <summary>InvokeWithResponseStream: the function's response as event-stream PayloadChunk events, as it is written.</summary>
public sealed class InvokeStreamApi(IGrainFactory grains, FunctionInvoker invoker, AliasRoutes aliases, IOptions<NodeOptions> node, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext http, string functionName)
    {
        // Flow: parse the target and headers → check the payload → DryRun answers 204 once the function is known →
        // otherwise run it streaming: the response head goes out with the first part (Content-Type is the stream's
        // content type), each chunk as a PayloadChunk event flushed at once, and InvokeComplete last (error, log tail).
        // The caller hanging up cancels the enumeration, which abandons the invocation and stops the function.
        var headers = http.Request.Headers;
        var invocationType = headers["X-Amz-Invocation-Type"].FirstOrDefault() ?? "RequestResponse";
        if (invocationType is not ("RequestResponse" or "DryRun"))
        {
            throw new LambdaServiceException(LambdaErrorType.ValidationException, $"1 validation error detected: Value '{invocationType}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [RequestResponse, DryRun]");
        }

        var logType = InvokeApi.LogType(headers);
        var target = FunctionTarget.From(http, functionName, node.Value.Region, node.Value.AccountId);
        var payload = http.Body();
        if (payload.Length > InvokeApi.MaxSyncPayloadBytes)
        {
            throw new LambdaServiceException(LambdaErrorType.RequestTooLargeException, $"Request must be smaller than {InvokeApi.MaxSyncPayloadBytes} bytes for the InvokeWithResponseStream operation");
        }

        payload = InvokeApi.CheckJson(payload);
        var arn = FunctionArns.Function(node.Value.Region, node.Value.AccountId, target.Name);
        var request = InvokeApi.Request(http, target, arn, payload, wantsLogTail: logType == "Tail", time);

        var version = await aliases.VersionAsync(target.Name, target.Qualifier);
        if (invocationType == "DryRun")
        {
            if (await grains.GetGrain<IFunctionGrain>(target.Name).GetVersionAsync(version) is null)
            {
                throw LambdaServiceException.FunctionNotFound(FunctionArns.Qualified(arn, target.Qualifier ?? "$LATEST"));
            }

            await LambdaResults.EmptyAsync(http, StatusCodes.Status204NoContent);
            return;
        }

        await StreamAsync(http, invoker.InvokeStreamingAsync(target.Name, version, request, http.RequestAborted), version);
    }

    private static async Task StreamAsync(HttpContext http, IAsyncEnumerable<ResponseStreamPart> parts, string version)
    {
        var response = http.Response;
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        void Start(string contentType)
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.Headers["X-Amz-Executed-Version"] = version;
            response.ContentType = contentType;
        }

        try
        {
            await foreach (var part in parts)
            {
                if (part.ContentType is { } contentType)
                {
                    Start(contentType);
                    await response.StartAsync(http.RequestAborted);
                }
                else if (part.Chunk is { } chunk)
                {
                    await response.Body.WriteAsync(EventStreamMessage.Event("PayloadChunk", "application/octet-stream", chunk), http.RequestAborted);
                    await response.Body.FlushAsync(http.RequestAborted);
                }
                else if (part.Completion is { } result)
                {
                    if (!response.HasStarted)
                    {
                        Start("application/json");
                    }

                    await response.Body.WriteAsync(EventStreamMessage.Event("InvokeComplete", "application/json", Complete(result)), http.RequestAborted);
                }
            }
        }
        catch (LambdaServiceException e) when (response.HasStarted)
        {
            // The environment's node left mid-stream: the status is sent already, so the stream ends with the error.
            var complete = new InvokeCompleteEventDto { ErrorCode = e.ErrorType.ToString(), ErrorDetails = e.Message };
            await response.Body.WriteAsync(EventStreamMessage.Event("InvokeComplete", "application/json", JsonSerializer.SerializeToUtf8Bytes(complete, LambdaJsonContext.Default.InvokeCompleteEventDto)));
        }
        catch (Exception e) when (http.RequestAborted.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            // The caller hung up; leaving the enumeration abandoned the invocation.
        }
    }

    /// <summary>InvokeComplete's payload: the function's error type and message when it failed, and the log tail.</summary>
    private static byte[] Complete(InvocationResult result)
    {
        string? code = null, details = null;
        if (result.FunctionError is not null)
        {
            (code, details) = ErrorOf(result.Payload);
        }

        var complete = new InvokeCompleteEventDto { ErrorCode = code, ErrorDetails = details, LogResult = result.LogTail };
        return JsonSerializer.SerializeToUtf8Bytes(complete, LambdaJsonContext.Default.InvokeCompleteEventDto);
    }

    private static (string Code, string Details) ErrorOf(byte[] document)
    {
        try
        {
            using var json = JsonDocument.Parse(document);
            var root = json.RootElement;
            var type = root.TryGetProperty("errorType", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var message = root.TryGetProperty("errorMessage", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            return (type ?? "Unhandled", message ?? System.Text.Encoding.UTF8.GetString(document));
        }
        catch (JsonException)
        {
            return ("Unhandled", System.Text.Encoding.UTF8.GetString(document));
        }
    }
}

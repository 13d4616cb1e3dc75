using LambdaCluster.Grains.AsyncInvocation;
using LambdaCluster.Gateway.Http;
using LambdaCluster.Gateway.Invocation;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Grains.Invocation;
using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Runtimes.Invocation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.Lambda;

/// <summary>Invoke (RequestResponse, Event, DryRun) and the deprecated InvokeAsync.</summary>
public sealed class InvokeApi(IGrainFactory grains, FunctionInvoker invoker, AsyncInvocations events, InvokeParser parser, IOptions<NodeOptions> node, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext http, string functionName)
    {
        // Flow: parse (the front door shared with InvokeWithResponseStream and function URLs: type, log type, target,
        // payload, request, version) → by invocation type: DryRun answers 204 once the function is known; Event queues
        // the request and answers 202; RequestResponse runs it and writes the result with Lambda's headers.
        var invoke = await parser.ParseAsync(http, functionName, InvokeOperation.Invoke);
        if (invoke.InvocationType != "RequestResponse")
        {
            if (await grains.GetGrain<IFunctionGrain>(invoke.FunctionName).GetVersionAsync(invoke.Version) is null)
            {
                throw LambdaServiceException.FunctionNotFound(FunctionArns.Qualified(invoke.FunctionArn, invoke.Qualifier ?? "$LATEST"));
            }

            if (invoke.InvocationType == "Event")
            {
                await events.EnqueueAsync(invoke.FunctionName, invoke.Version, invoke.Qualifier, invoke.Request); // journaled before the 202
            }

            await LambdaResults.EmptyAsync(http, invoke.InvocationType == "Event" ? StatusCodes.Status202Accepted : StatusCodes.Status204NoContent);
            return;
        }

        var result = await invoker.InvokeAsync(invoke.FunctionName, invoke.Version, invoke.Request);
        var headers = http.Response.Headers;
        headers["X-Amz-Executed-Version"] = result.ExecutedVersion;
        if (result.FunctionError is not null)
        {
            headers["X-Amz-Function-Error"] = result.FunctionError;
        }

        if (result.LogTail is not null)
        {
            headers["X-Amz-Log-Result"] = result.LogTail;
        }

        await InvocationResponseWriter.WriteAsync(http.Response, StatusCodes.Status200OK, result.ContentType, result.Payload);
    }

    /// <summary>InvokeAsync (deprecated): the body is the event; answered 202 with <c>{"Status":202}</c>.</summary>
    public async Task InvokeAsyncLegacy(HttpContext http, string functionName)
    {
        var name = FunctionTarget.From(http, functionName, node.Value.Region, node.Value.AccountId).Name;
        var payload = InvokeParser.CheckJson(http.Body());
        if (payload.Length > InvokeOperation.MaxAsyncPayloadBytes)
        {
            throw new LambdaServiceException(LambdaErrorType.RequestTooLargeException, $"Request must be smaller than {InvokeOperation.MaxAsyncPayloadBytes} bytes for the InvokeFunction operation");
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
}

using LambdaCluster.Gateway.Invocation;
using LambdaCluster.Gateway.Lambda;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Functions;
using LambdaCluster.Grains.Invocation;
using Microsoft.AspNetCore.Http;

namespace LambdaCluster.Gateway.Streaming;

/// <summary>InvokeWithResponseStream: the function's response as event-stream PayloadChunk events, as it is written.</summary>
public sealed class InvokeStreamApi(IGrainFactory grains, FunctionInvoker invoker, InvokeParser parser)
{
    public async Task InvokeAsync(HttpContext http, string functionName)
    {
        // Flow: parse (the front door shared with Invoke and function URLs) → DryRun answers 204 once the function is
        // known → otherwise run it streaming, framed as event-stream messages (EventStreamResponse). The caller hanging
        // up cancels the enumeration, which abandons the invocation and stops the function.
        var invoke = await parser.ParseAsync(http, functionName, InvokeOperation.InvokeWithResponseStream);
        if (invoke.InvocationType == "DryRun")
        {
            if (await grains.GetGrain<IFunctionGrain>(invoke.FunctionName).GetVersionAsync(invoke.Version) is null)
            {
                throw LambdaServiceException.FunctionNotFound(FunctionArns.Qualified(invoke.FunctionArn, invoke.Qualifier ?? "$LATEST"));
            }

            await LambdaResults.EmptyAsync(http, StatusCodes.Status204NoContent);
            return;
        }

        var parts = invoker.InvokeStreamingAsync(invoke.FunctionName, invoke.Version, invoke.Request, http.RequestAborted);
        await InvocationResponseWriter.StreamAsync(http, parts, new EventStreamResponse(http, invoke.Version));
    }
}

using LambdaCluster.Gateway.Auth;
using LambdaCluster.Gateway.Errors;
using LambdaCluster.Gateway.Lambda;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Runtimes.RuntimeApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LambdaCluster.Gateway.Http;

/// <summary>
/// What every API request goes through before its endpoint: a request id, the body read once and
/// bounded, and SigV4 verification. An unsigned or wrongly signed request never reaches a function.
/// </summary>
public sealed partial class GatewayRequestMiddleware(RequestDelegate next, SigV4Verifier verifier, ILogger<GatewayRequestMiddleware> logger)
{
    /// <summary>Lambda's limit on a whole CreateFunction request (the largest any API takes).</summary>
    public const int MaxRequestBytes = 70_167_211;

    /// <summary>The Prometheus scraping endpoint, served without SigV4.</summary>
    public const string MetricsPath = "/metrics";

    public async Task InvokeAsync(HttpContext http)
    {
        if (http.Request.Path.StartsWithSegments(CodeDownload.PathPrefix) || http.Request.Path.StartsWithSegments(MetricsPath))
        {
            await Task.Yield(); // off the socket's thread (see below)
            await next(http); // pre-signed by its own query signature; metrics are for scrapers on the operator's network
            return;
        }

        http.Response.Headers["x-amzn-RequestId"] = http.TraceIdentifier = Guid.NewGuid().ToString();
        var body = await RequestBodyReader.ReadAsync(http.Request, MaxRequestBytes, http.RequestAborted);
        if (body.TooLarge)
        {
            await LambdaErrors.WriteAsync(http, LambdaErrorType.RequestEntityTooLargeException,
                $"Request must be smaller than {MaxRequestBytes} bytes for the {OperationName(http)} operation");
            return;
        }

        if (body.Length > InlineBodyBytes || !IsInvocation(http.Request))
        {
            // Requests may run on the thread that read their socket (NodeOptions.InlineIo); only invocations stay there.
            // The control plane (packages to hash and unzip, logs to read) continues on the thread pool, off the path
            // every other connection's reads take.
            await Task.Yield();
        }

        var service = ServiceOf(http.Request);
        if (verifier.Verify(http.Request, body.Bytes, service) is { } failure)
        {
            await LambdaErrors.WriteUnmodeledAsync(http, StatusCodes.Status403Forbidden, failure.Code, failure.Message);
            return;
        }

        if (verifier.SessionFunctionOf(http.Request) is { } function && FunctionSessionPolicy.Check(http.Request, service, function) is { } denied)
        {
            await LambdaErrors.WriteUnmodeledAsync(http, StatusCodes.Status403Forbidden, "AccessDeniedException", denied);
            return;
        }

        http.Features.Set(new RequestBody(body.Bytes));
        try
        {
            await next(http);
        }
        catch (LambdaServiceException e) when (!http.Response.HasStarted)
        {
            await LambdaErrors.WriteAsync(http, e);
        }
        catch (Exception e) when (!http.Response.HasStarted && e is not OperationCanceledException)
        {
            LogUnexpected(logger, e, http.Request.Method, http.Request.Path);
            await LambdaErrors.WriteAsync(http, LambdaErrorType.ServiceException, "The service encountered an internal error. Please try again.");
        }
    }

    /// <summary>Invocation requests this large continue on the thread pool too (their payload is hashed for SigV4).</summary>
    private const int InlineBodyBytes = 256 * 1024;

    /// <summary>Invoke and InvokeWithResponseStream: the calls whose latency the inline path is for.</summary>
    private static bool IsInvocation(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.Value is { } path &&
        (path.EndsWith("/invocations", StringComparison.Ordinal) || path.EndsWith("/response-streaming-invocations", StringComparison.Ordinal));

    /// <summary>The SigV4 service a request is for: the JSON-protocol services say so in X-Amz-Target; the rest is Lambda's REST API.</summary>
    public static string ServiceOf(HttpRequest request)
    {
        var target = request.Headers["X-Amz-Target"].ToString();
        return target.StartsWith("Logs_", StringComparison.Ordinal) ? "logs"
            : target.StartsWith(Queues.SqsApi.TargetPrefix, StringComparison.Ordinal) ? "sqs"
            : target.StartsWith(Streams.KinesisApi.TargetPrefix, StringComparison.Ordinal) ? "kinesis"
            : "lambda";
    }

    private static string OperationName(HttpContext http) =>
        http.Request.Path.Value?.EndsWith("/invocations", StringComparison.Ordinal) == true ? "InvokeFunction" : "CreateFunction";

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Unexpected failure serving {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string path);
}

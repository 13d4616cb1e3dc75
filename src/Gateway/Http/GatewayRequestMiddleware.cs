using LambdaCluster.Gateway.Auth;
using LambdaCluster.Gateway.Errors;
using LambdaCluster.Gateway.Lambda;
using LambdaCluster.Gateway.S3;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Runtimes.RuntimeApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LambdaCluster.Gateway.Http;

/// <summary>
/// What every API request goes through before its endpoint: a request id, the body read once and
/// bounded, and SigV4 verification. An unsigned or wrongly signed request never reaches a function. Requests signed
/// for S3 go to the object API (<see cref="S3Api"/>), with S3's XML errors.
/// </summary>
public sealed partial class GatewayRequestMiddleware(RequestDelegate next, SigV4Verifier verifier, S3Api s3, ILogger<GatewayRequestMiddleware> logger)
{
    /// <summary>Lambda's limit on a whole CreateFunction request (the largest any API takes).</summary>
    public const int MaxRequestBytes = 70_167_211;

    /// <summary>The Prometheus scraping endpoint, served without SigV4.</summary>
    public const string MetricsPath = "/metrics";

    public async Task InvokeAsync(HttpContext http)
    {
        var service = ServiceOf(http.Request);
        if (service != "s3" && (http.Request.Path.StartsWithSegments(CodeDownload.PathPrefix) || http.Request.Path.StartsWithSegments(MetricsPath) || http.Request.Path.StartsWithSegments(S3WebhookApi.PathPrefix)))
        {
            await Task.Yield(); // off the socket's thread (see below)
            await next(http); // pre-signed by its own query signature; metrics are for scrapers on the operator's network; S3 webhooks carry their token
            return;
        }

        http.Response.Headers["x-amzn-RequestId"] = http.TraceIdentifier = Guid.NewGuid().ToString();
        var body = await RequestBodyReader.ReadAsync(http.Request, MaxRequestBytes, http.RequestAborted);
        if (body.TooLarge && service == "s3")
        {
            await S3Xml.WriteErrorAsync(http, StatusCodes.Status400BadRequest, "EntityTooLarge", $"Your proposed upload exceeds the maximum allowed size of this endpoint ({MaxRequestBytes} bytes); upload it in parts.");
            return;
        }

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

        var v2Presigned = service == "s3" && http.Request.Query.ContainsKey("AWSAccessKeyId");
        if ((v2Presigned ? verifier.VerifyS3QueryV2(http.Request) : verifier.Verify(http.Request, body.Bytes, service)) is { } failure)
        {
            await (service == "s3"
                ? failure.Code switch
                {
                    "NotImplemented" => S3Xml.WriteErrorAsync(http, StatusCodes.Status501NotImplemented, failure.Code, failure.Message),
                    "XAmzContentSHA256Mismatch" => S3Xml.WriteErrorAsync(http, StatusCodes.Status400BadRequest, failure.Code, failure.Message),
                    "InvalidSignatureException" => S3Xml.WriteErrorAsync(http, StatusCodes.Status403Forbidden, "SignatureDoesNotMatch", failure.Message),
                    "UnrecognizedClientException" => S3Xml.WriteErrorAsync(http, StatusCodes.Status403Forbidden, "InvalidAccessKeyId", failure.Message),
                    _ => S3Xml.WriteErrorAsync(http, StatusCodes.Status403Forbidden, "AccessDenied", failure.Message),
                }
                : LambdaErrors.WriteUnmodeledAsync(http, StatusCodes.Status403Forbidden, failure.Code, failure.Message));
            return;
        }

        if (verifier.SessionFunctionOf(http.Request) is { } function && FunctionSessionPolicy.Check(http.Request, service, function) is { } denied)
        {
            await LambdaErrors.WriteUnmodeledAsync(http, StatusCodes.Status403Forbidden, "AccessDeniedException", denied);
            return;
        }

        http.Features.Set(new RequestBody(body.Bytes));
        if (service == "s3")
        {
            await s3.HandleAsync(http);
            return;
        }

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

    /// <summary>
    /// The SigV4 service a request is for. The JSON-protocol services (Logs, SQS, Kinesis) say so in X-Amz-Target, which
    /// counts only where they are served: a POST to <c>/</c> or to a queue's path. Anywhere else the path decides, so a
    /// header cannot make a Lambda or Schemas route look like another service (and pass a function session's policy
    /// for that service). S3's REST requests are known by their signature's scope (its paths are buckets, which can
    /// look like anything); the Schemas API by its paths; the rest is Lambda's REST API.
    /// </summary>
    public static string ServiceOf(HttpRequest request)
    {
        if (IsJsonProtocolPath(request))
        {
            var target = request.Headers["X-Amz-Target"].ToString();
            if (target.StartsWith("Logs_", StringComparison.Ordinal))
            {
                return "logs";
            }

            if (target.StartsWith(Queues.SqsApi.TargetPrefix, StringComparison.Ordinal))
            {
                return "sqs";
            }

            if (target.StartsWith(Streams.KinesisApi.TargetPrefix, StringComparison.Ordinal))
            {
                return "kinesis";
            }
        }

        return request.Headers.ContainsKey("X-Amz-Target") ? "lambda" // a target on a path no JSON service serves
            : SignedForS3(request) ? "s3"
            : request.Path.StartsWithSegments(Schemas.SchemasApi.PathPrefix) ? "schemas"
            : "lambda";
    }

    /// <summary>POST <c>/</c> or <c>/{12-digit account}/{queue}</c>: the only paths the JSON-protocol services answer on.</summary>
    private static bool IsJsonProtocolPath(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method) || request.Path.Value is not { } path)
        {
            return false;
        }

        if (path == "/")
        {
            return true;
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length == 2 && segments[0].Length == 12 && segments[0].All(char.IsAsciiDigit);
    }

    private static bool SignedForS3(HttpRequest request) =>
        request.Headers.Authorization.ToString().Contains("/s3/aws4_request", StringComparison.Ordinal)
        || request.Query["X-Amz-Credential"].ToString().EndsWith("/s3/aws4_request", StringComparison.Ordinal)
        || (request.Query.ContainsKey("AWSAccessKeyId") && request.Query.ContainsKey("Signature")); // S3's older presigned URLs

    private static string OperationName(HttpContext http) =>
        http.Request.Path.Value?.EndsWith("/invocations", StringComparison.Ordinal) == true ? "InvokeFunction" : "CreateFunction";

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Unexpected failure serving {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string path);
}

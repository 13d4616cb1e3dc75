using System.Collections.Concurrent;
using System.Text;
using LambdaCluster.Gateway.Auth;
using LambdaCluster.Gateway.Hosting;
using LambdaCluster.Gateway.Invocation;
using LambdaCluster.Gateway.Lambda;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Invocation;
using LambdaCluster.Grains.Urls;
using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Runtimes.Invocation;
using LambdaCluster.Runtimes.RuntimeApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.Urls;

/// <summary>
/// Serves function URLs, host-based (<c>{url-id}.{UrlDomain}</c>) or path-based (<c>/_lambda/url/{url-id}/...</c>),
/// ahead of the API's SigV4 check: NONE URLs serve anyone once the function's resource policy allows it, AWS_IAM URLs
/// verify SigV4 themselves.
/// </summary>
public sealed class FunctionUrlMiddleware(
    RequestDelegate next,
    IGrainFactory grains,
    FunctionInvoker invoker,
    InvokeParser parser,
    SigV4Verifier verifier,
    IOptions<NodeOptions> node,
    IOptions<GatewayOptions> gateway,
    TimeProvider time)
{
    public const string PathPrefix = "/_lambda/url";
    private const string Forbidden = "Forbidden. For troubleshooting Function URL authorization issues, see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html";
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<string, (FunctionUrlSetting? Setting, long At)> _settings = new(StringComparer.Ordinal);

    public async Task InvokeAsync(HttpContext http)
    {
        // Flow: which URL → its setting (cached a second) → CORS preflight → AWS_IAM signature → payload 2.0 event
        // → invoke the function (alias routing included) → its result as the HTTP response, with CORS headers; a
        // RESPONSE_STREAM URL writes the response as the function streams it.
        if (!TryMatch(http.Request, out var urlId, out var rawPath))
        {
            await next(http);
            return;
        }

        http.Response.Headers["x-amzn-RequestId"] = http.TraceIdentifier = Guid.NewGuid().ToString();
        if (http.Request.Path.StartsWithSegments(PathPrefix))
        {
            http.Response.OnStarting(ConfineToOwnOrigin, http.Response);
        }

        if (await SettingAsync(urlId) is not { } url)
        {
            await MessageAsync(http, StatusCodes.Status404NotFound, "Not Found");
            return;
        }

        if (IsPreflight(http.Request) && url.Cors is { } preflightCors)
        {
            FunctionUrlCorsHeaders.Apply(http, preflightCors, preflight: true);
            http.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        var body = await RequestBodyReader.ReadAsync(http.Request, InvokeOperation.MaxSyncPayloadBytes, http.RequestAborted);
        if (body.TooLarge)
        {
            await MessageAsync(http, StatusCodes.Status413PayloadTooLarge, "Request Entity Too Large");
            return;
        }

        string? caller = null;
        if (url.AuthType == "NONE" && !url.Public)
        {
            // As in Lambda, a NONE URL serves no one until its function's (or alias's) policy allows lambda:InvokeFunctionUrl to "*".
            await MessageAsync(http, StatusCodes.Status403Forbidden, Forbidden);
            return;
        }

        if (url.AuthType == "AWS_IAM")
        {
            if (verifier.Verify(http.Request, body.Bytes, "lambda") is not null)
            {
                await MessageAsync(http, StatusCodes.Status403Forbidden, Forbidden);
                return;
            }

            caller = SigV4Verifier.AccessKeyOf(http.Request);
        }

        var now = time.GetUtcNow();
        var domain = $"{url.UrlId}.{gateway.Value.UrlDomain}";
        var @event = FunctionUrlEvent.Build(http, url, domain, rawPath, body.Bytes, node.Value.AccountId, caller, now);
        try
        {
            var invoke = await parser.ParseUrlAsync(http, url, @event);
            if (url.InvokeMode == "RESPONSE_STREAM")
            {
                var parts = invoker.InvokeStreamingAsync(invoke.FunctionName, invoke.Version, invoke.Request, http.RequestAborted);
                await InvocationResponseWriter.StreamAsync(http, parts, new FunctionUrlStreamResponse(http, _ => ApplyCors(http, url)));
                return;
            }

            var result = await invoker.InvokeAsync(invoke.FunctionName, invoke.Version, invoke.Request);
            ApplyCors(http, url);
            if (result.FunctionError is not null)
            {
                await InvocationResponseWriter.WriteAsync(http.Response, StatusCodes.Status502BadGateway, "text/plain", "Internal Server Error"u8.ToArray());
                return;
            }

            await FunctionUrlResponse.WriteAsync(http.Response, result.Payload);
        }
        catch (LambdaServiceException e) when (e.ErrorType == LambdaErrorType.TooManyRequestsException && !http.Response.HasStarted)
        {
            await MessageAsync(http, StatusCodes.Status429TooManyRequests, "Rate Exceeded.");
        }
        catch (Exception e) when (e is LambdaServiceException or InvalidDataException or System.Text.Json.JsonException && !http.Response.HasStarted)
        {
            await MessageAsync(http, StatusCodes.Status502BadGateway, "Internal Server Error");
        }
        catch (Exception e) when (e is LambdaServiceException or InvalidDataException or System.Text.Json.JsonException or IOException or OperationCanceledException)
        {
            // Mid-stream: the head is sent, so the client learns of the failure from a cut connection.
            http.Abort();
        }
    }

    /// <summary>
    /// The path form shares its origin with the API and the web console, where a Lambda URL never does (it has a host of
    /// its own). So its responses are confined as a separate origin would be: a CSP sandbox gives the page an opaque
    /// origin (no access to the console's storage, no same-origin calls), and it may not widen a service worker's scope
    /// beyond its own path.
    /// </summary>
    private static Task ConfineToOwnOrigin(object state)
    {
        var response = (HttpResponse)state;
        response.Headers.Remove("Service-Worker-Allowed");
        response.Headers.Append("Content-Security-Policy", "sandbox allow-scripts allow-forms allow-popups allow-downloads allow-modals");
        return Task.CompletedTask;
    }

    private static void ApplyCors(HttpContext http, FunctionUrlSetting url)
    {
        if (url.Cors is { } cors)
        {
            FunctionUrlCorsHeaders.Apply(http, cors, preflight: false);
        }
    }

    private bool TryMatch(HttpRequest request, out string urlId, out string rawPath)
    {
        var path = request.Path.Value ?? "/";
        if (path.StartsWith(PathPrefix + "/", StringComparison.Ordinal))
        {
            var rest = path[(PathPrefix.Length + 1)..];
            var slash = rest.IndexOf('/');
            urlId = slash < 0 ? rest : rest[..slash];
            rawPath = slash < 0 ? "/" : rest[slash..];
            return urlId.Length > 0;
        }

        var host = request.Host.Host;
        var suffix = "." + gateway.Value.UrlDomain;
        if (host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && host.Length > suffix.Length)
        {
            urlId = host[..^suffix.Length].ToLowerInvariant();
            rawPath = path;
            return true;
        }

        (urlId, rawPath) = ("", "");
        return false;
    }

    private async ValueTask<FunctionUrlSetting?> SettingAsync(string urlId)
    {
        if (urlId.Length != 32 || !urlId.All(char.IsAsciiLetterOrDigit))
        {
            return null; // not an id this cluster hands out: no grain for it
        }

        if (_settings.TryGetValue(urlId, out var cached) && time.GetElapsedTime(cached.At) < CacheFor)
        {
            return cached.Setting;
        }

        var setting = await grains.GetGrain<IFunctionUrlIndexGrain>(urlId).GetAsync();
        if (_settings.Count > 10_000)
        {
            _settings.Clear();
        }

        _settings[urlId] = (setting, time.GetTimestamp());
        return setting;
    }

    private static bool IsPreflight(HttpRequest request) =>
        HttpMethods.IsOptions(request.Method) && request.Headers.ContainsKey("Origin") && request.Headers.ContainsKey("Access-Control-Request-Method");

    private static async Task MessageAsync(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync($"{{\"Message\":{System.Text.Json.JsonSerializer.Serialize(message)}}}", Encoding.UTF8);
    }
}

using System.Text.Json;
using LambdaCluster.Runtimes.Environments;
using LambdaCluster.Runtimes.TelemetryApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LambdaCluster.Runtimes.RuntimeApi;

/// <summary>
/// The Telemetry API (<c>PUT /2022-07-01/telemetry</c>) and the older Logs API (<c>PUT /2020-08-15/logs</c>) on each
/// environment's Runtime API endpoint (the Lambda guide's telemetry-api and runtimes-logs-api; the Runtime Interface
/// Emulator's rapi/handler/runtimelogs.go and telemetry/subscription_api.go): a registered extension subscribes during
/// INIT; 200 <c>"OK"</c>, 400 ValidationError, 403 for an unknown extension or once INIT is over.
/// </summary>
internal static class TelemetryApiRoutes
{
    /// <summary>A subscription is a few hundred bytes: anything over this is refused.</summary>
    private const int MaxBodyBytes = 64 * 1024;

    private static readonly byte[] Ok = "\"OK\""u8.ToArray();

    public static void Map(WebApplication app, EnvironmentSupervisor supervisor)
    {
        app.MapPut("/2022-07-01/telemetry", (HttpContext http) => SubscribeAsync(http, supervisor, logsApi: false));
        app.MapPut("/2020-08-15/logs", (HttpContext http) => SubscribeAsync(http, supervisor, logsApi: true));
    }

    /// <summary>Flow: the extension (by its identifier) → the body, checked → the environment's hub, while INIT lasts → "OK".</summary>
    private static async Task SubscribeAsync(HttpContext http, EnvironmentSupervisor supervisor, bool logsApi)
    {
        if (await ExtensionRequests.IdentifierAsync(http) is not { } id)
        {
            return;
        }

        if (!supervisor.TryGetByPort(http.Connection.LocalPort, out var environment) || environment.AwaitingFork
            || environment.Extensions?.NameOf(id) is not { } name || environment.Telemetry is not { } hub)
        {
            await ExtensionRequests.WriteUnknownAsync(http);
            return;
        }

        if (environment.Spec.Vpc is not null)
        {
            // Its listeners are in the VPC's network namespace, out of the node's reach: answered as Lambda's emulator answers
            // where the API is not offered (202, so that an extension goes on without it).
            await WriteAsync(http, StatusCodes.Status202Accepted, logsApi
                ? Error("Logs.NotSupported", "Logs API is not supported")
                : Error("Telemetry.NotSupported", "Telemetry API is not supported"));
            return;
        }

        var body = await RequestBodyReader.ReadAsync(http.Request, MaxBodyBytes, http.RequestAborted);
        string? problem = "request body too large";
        var request = body.TooLarge ? null : TelemetrySubscriptionRequest.Parse(body.Bytes, logsApi, out problem);
        if (request is null)
        {
            await WriteAsync(http, StatusCodes.Status400BadRequest, Error("ValidationError", problem!));
            return;
        }

        if (!hub.Subscribe(name, request, logsApi))
        {
            await WriteAsync(http, StatusCodes.Status403Forbidden, logsApi
                ? Error("Logs.SubscriptionClosed", "Logs API subscription is closed")
                : Error("Telemetry.SubscriptionClosed", "Telemetry API subscription is closed"));
            return;
        }

        await WriteAsync(http, StatusCodes.Status200OK, Ok);
    }

    private static byte[] Error(string errorType, string message) =>
        JsonSerializer.SerializeToUtf8Bytes(new RuntimeApiError(message, errorType), RuntimeApiJsonContext.Default.RuntimeApiError);

    private static Task WriteAsync(HttpContext http, int status, byte[] body) => ExtensionRequests.WriteJsonAsync(http, status, body);
}

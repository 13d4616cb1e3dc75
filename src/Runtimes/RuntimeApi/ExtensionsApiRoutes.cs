using System.Globalization;
using System.Text.Json;
using LambdaCluster.Runtimes.Environments;
using LambdaCluster.Runtimes.Extensions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LambdaCluster.Runtimes.RuntimeApi;

/// <summary>
/// The Extensions API (2020-01-01) on each environment's Runtime API endpoint, with Lambda's statuses and error types
/// (the Lambda guide's runtimes-extensions-api; the Runtime Interface Emulator's rapi/handler/agent*.go), and this node's
/// two routes for the script that starts external extensions (<see cref="ExternalExtensions"/>).
/// </summary>
internal static class ExtensionsApiRoutes
{
    private const string Prefix = "/2020-01-01";
    private const string IdentifierHeader = ExtensionRequests.IdentifierHeader;
    private const string ErrorTypeHeader = "Lambda-Extension-Function-Error-Type";

    /// <summary>A register body is a short list of event names: anything longer is refused.</summary>
    private const int MaxRegisterBytes = 64 * 1024;

    private static readonly byte[] StatusOk = "{\"status\":\"OK\"}\n"u8.ToArray();

    public static void Map(WebApplication app, EnvironmentSupervisor supervisor)
    {
        app.MapPost($"{Prefix}/extension/register", (HttpContext http) => RegisterAsync(http, supervisor));
        app.MapGet($"{Prefix}/extension/event/next", (HttpContext http) => NextAsync(http, supervisor));
        app.MapPost($"{Prefix}/extension/init/error", (HttpContext http) => ErrorAsync(http, supervisor, exit: false));
        app.MapPost($"{Prefix}/extension/exit/error", (HttpContext http) => ErrorAsync(http, supervisor, exit: true));
        app.MapGet($"{Prefix}/lambda-cluster/runtime/start", (HttpContext http) => RuntimeStartAsync(http, supervisor));
        app.MapPost($"{Prefix}/lambda-cluster/extension/exited", (HttpContext http) => ExitedAsync(http, supervisor));
    }

    /// <summary><c>POST /extension/register</c>: 200 with <c>Lambda-Extension-Identifier</c> and the function's name, version and handler.</summary>
    private static async Task RegisterAsync(HttpContext http, EnvironmentSupervisor supervisor)
    {
        if (!TryFindSession(http, supervisor, out var session))
        {
            await WriteErrorAsync(http, StatusCodes.Status403Forbidden, "Extension.RegistrationClosed", "Extension registration closed already");
            return;
        }

        var body = await RequestBodyReader.ReadAsync(http.Request, MaxRegisterBytes, http.RequestAborted);
        RegisterRequestBody? request = null;
        string? problem = body.TooLarge ? "request body too large" : null;
        if (problem is null)
        {
            try
            {
                request = JsonSerializer.Deserialize(body.Bytes, ExtensionsJsonContext.Default.RegisterRequestBody);
                problem = request is null ? "unexpected end of JSON input" : request.ConfigurationKeys is { Count: > 0 } ? "configurationKeys are deprecated; use environment variables instead" : null;
            }
            catch (JsonException e)
            {
                problem = e.Message;
            }
        }

        if (problem is not null)
        {
            await WriteErrorAsync(http, StatusCodes.Status403Forbidden, "InvalidRequestFormat", problem);
            return;
        }

        var features = http.Request.Headers["Lambda-Extension-Accept-Feature"].ToString().Split(',', StringSplitOptions.TrimEntries);
        var result = session.Register(http.Request.Headers["Lambda-Extension-Name"].ToString(), request!.Events ?? [], features.Contains("accountId"));
        if (result.Kind != ExtensionsApiResultKind.Registered)
        {
            await WriteResultAsync(http, result);
            return;
        }

        http.Response.Headers[IdentifierHeader] = result.Identifier;
        await WriteJsonAsync(http, StatusCodes.Status200OK, result.Body!);
    }

    /// <summary><c>GET /extension/event/next</c>: parks until the extension's next event, answered with <c>Lambda-Extension-Event-Identifier</c>.</summary>
    private static async Task NextAsync(HttpContext http, EnvironmentSupervisor supervisor)
    {
        if (await IdentifiedSessionAsync(http, supervisor) is not { } found)
        {
            return;
        }

        var (session, id) = found;
        var result = session.Next(id);
        if (result.NextEvent is not { } next)
        {
            await WriteResultAsync(http, result);
            return;
        }

        byte[]? body;
        try
        {
            body = await next.WaitAsync(http.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            session.Unpark(id, next); // the extension went away while parked
            return;
        }

        if (body is null)
        {
            await WriteErrorAsync(http, StatusCodes.Status500InternalServerError, "EnvironmentShutdown", "The execution environment is shutting down.");
            return;
        }

        http.Response.Headers["Lambda-Extension-Event-Identifier"] = Guid.NewGuid().ToString();
        await WriteJsonAsync(http, StatusCodes.Status200OK, body);
    }

    /// <summary><c>POST /extension/init/error</c> and <c>/extension/exit/error</c>: 202; the phase the environment is in fails.</summary>
    private static async Task ErrorAsync(HttpContext http, EnvironmentSupervisor supervisor, bool exit)
    {
        if (await IdentifiedSessionAsync(http, supervisor) is not { } found)
        {
            return;
        }

        var errorType = http.Request.Headers[ErrorTypeHeader].ToString();
        if (errorType.Length == 0)
        {
            await WriteErrorAsync(http, StatusCodes.Status403Forbidden, "Extension.MissingHeader", $"{ErrorTypeHeader} not found");
            return;
        }

        await RequestBodyReader.ReadAsync(http.Request, ExecutionEnvironment.MaxResponseBytes, http.RequestAborted); // the error document, read and let go
        await WriteResultAsync(http, found.Session.ReportError(found.Id, errorType, exit));
    }

    /// <summary>This node's route: the start script waits here until every external extension registered (or one failed).</summary>
    private static async Task RuntimeStartAsync(HttpContext http, EnvironmentSupervisor supervisor)
    {
        if (!TryFindSession(http, supervisor, out var session))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        try
        {
            await session.ExternalsRegistered.WaitAsync(http.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentLength = 0;
    }

    /// <summary>This node's route: an external extension's process ended, with the shell's exit status.</summary>
    private static async Task ExitedAsync(HttpContext http, EnvironmentSupervisor supervisor)
    {
        if (!TryFindSession(http, supervisor, out var session)
            || !int.TryParse(http.Request.Headers["Lambda-Cluster-Exit-Status"], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        session.Exited(http.Request.Headers["Lambda-Extension-Name"].ToString(), ExternalExtensions.DescribeExit(status));
        http.Response.StatusCode = StatusCodes.Status202Accepted;
        http.Response.ContentLength = StatusOk.Length;
        await http.Response.Body.WriteAsync(StatusOk);
    }

    /// <summary>The session and the extension's identifier, or null with Lambda's 403 written (missing or malformed identifier, no session).</summary>
    private static async Task<(ExtensionsSession Session, string Id)?> IdentifiedSessionAsync(HttpContext http, EnvironmentSupervisor supervisor)
    {
        if (await ExtensionRequests.IdentifierAsync(http) is not { } id)
        {
            return null;
        }

        if (!TryFindSession(http, supervisor, out var session))
        {
            await ExtensionRequests.WriteUnknownAsync(http);
            return null;
        }

        return (session, id);
    }

    private static bool TryFindSession(HttpContext http, EnvironmentSupervisor supervisor, out ExtensionsSession session)
    {
        session = null!;
        if (supervisor.TryGetByPort(http.Connection.LocalPort, out var environment) && !environment.AwaitingFork && environment.Extensions is { } found)
        {
            session = found;
            return true;
        }

        return false;
    }

    private static Task WriteResultAsync(HttpContext http, ExtensionsApiResult result) => result.Kind switch
    {
        ExtensionsApiResultKind.Accepted => WriteJsonAsync(http, StatusCodes.Status202Accepted, StatusOk),
        _ => WriteErrorAsync(http, StatusCodes.Status403Forbidden, result.ErrorType!, result.Message!),
    };

    private static Task WriteErrorAsync(HttpContext http, int status, string errorType, string message) => ExtensionRequests.WriteErrorAsync(http, status, errorType, message);

    private static Task WriteJsonAsync(HttpContext http, int status, byte[] body) => ExtensionRequests.WriteJsonAsync(http, status, body);
}

using System.Globalization;
using LambdaCluster.Runtimes.Environments;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LambdaCluster.Runtimes.RuntimeApi;

/// <summary>Every route of the Runtime API on one screen, with Lambda's statuses and error bodies.</summary>
internal static class RuntimeApiRoutes
{
    private const string Prefix = "/2018-06-01/runtime";
    private const string ResponseModeHeader = "Lambda-Runtime-Function-Response-Mode";
    private const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    /// <summary>
    /// Sent as <c>Lambda-Cluster-Then-Next: 1</c> (no other value) by this node's own runtime clients (clients/nodejs,
    /// clients/python) with an invocation's buffered response or error: answer it with the next event, as
    /// <c>GET /next</c> would, instead of the 202 (a streamed response gets the 202 whatever it carries). A warm invocation is then one exchange instead of two: the function's process wakes once
    /// per event, not twice, and the node reads and answers one request fewer. The post's own outcome is not sent: those
    /// clients go on to the next event whatever it was, as they did when they pipelined the post and the long poll. Any
    /// other runtime is answered as Lambda answers.
    /// </summary>
    private const string ThenNextHeader = "Lambda-Cluster-Then-Next";

    /// <summary>The Runtime API's 202 body, as Lambda sends it.</summary>
    private static readonly byte[] StatusOk = "{\"status\":\"OK\"}\n"u8.ToArray();

    public static void Map(WebApplication app, EnvironmentSupervisor supervisor)
    {
        app.MapGet($"{Prefix}/invocation/next", (HttpContext http) => NextAsync(http, supervisor));
        app.MapPost($"{Prefix}/invocation/{{requestId}}/response", (HttpContext http, string requestId) => ResponseAsync(http, supervisor, requestId));
        app.MapPost($"{Prefix}/invocation/{{requestId}}/error", (HttpContext http, string requestId) => ErrorAsync(http, supervisor, requestId));
        app.MapPost($"{Prefix}/init/error", (HttpContext http) => InitErrorAsync(http, supervisor));
        app.MapGet($"{Prefix}/restore/next", (HttpContext http) => RestoreNextAsync(http, supervisor));
        app.MapPost($"{Prefix}/restore/error", (HttpContext http) => RestoreErrorAsync(http, supervisor));
        app.MapGet($"{Prefix}/assignment", (HttpContext http) => AssignmentAsync(http, supervisor));
    }

    /// <summary>
    /// This node's own route for a runtime started ahead of its function (Prestart/PrestartedProcess): parks until a cold
    /// start gives it one, then answers <c>{"environment":{...}}</c>, the variables it is to run the function with.
    /// </summary>
    private static async Task AssignmentAsync(HttpContext http, EnvironmentSupervisor supervisor)
    {
        if (!supervisor.Prestarts.TryGetByPort(http.Connection.LocalPort, out var prestarted))
        {
            await WriteErrorAsync(http, StatusCodes.Status403Forbidden, "InvalidStateTransition", "State transition is not allowed");
            return;
        }

        byte[] body;
        try
        {
            body = await prestarted.WaitForAssignmentAsync(http.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return; // the runtime went away, or the node stopped it
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = body.Length;
        await http.Response.Body.WriteAsync(body);
    }

    /// <summary>
    /// SnapStart's <c>GET /restore/next</c>. From a template: its INIT (before-snapshot hooks included) is over, and the
    /// long poll is answered with the node's next order (<c>Lambda-Cluster-Fork-Api</c> and <c>-Fork-Output</c>: fork a
    /// new environment; <c>Lambda-Cluster-Reap</c>: reap an exited fork). From a fork on its new endpoint (its pid in the
    /// template in <c>Lambda-Cluster-Fork-Pid</c>, and in a sandbox its runtime's in <c>Lambda-Cluster-Runtime-Pid</c>): the
    /// node adopts it, and 200 tells it that it is restored.
    /// </summary>
    private static async Task RestoreNextAsync(HttpContext http, EnvironmentSupervisor supervisor)
    {
        var port = http.Connection.LocalPort;
        if (supervisor.Snapshots.TryGetByPort(port, out var template))
        {
            Snapshots.TemplateOrder? order;
            try
            {
                order = await template.NextOrderAsync(http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the template went away while parked
            }

            if (order is null)
            {
                await WriteErrorAsync(http, StatusCodes.Status403Forbidden, "InvalidStateTransition", "State transition is not allowed");
                return;
            }

            if (order.ForkApi is not null)
            {
                http.Response.Headers["Lambda-Cluster-Fork-Api"] = order.ForkApi;
                http.Response.Headers["Lambda-Cluster-Fork-Output"] = order.OutputPipe;
                if (order.Credentials is { } credentials)
                {
                    http.Response.Headers["Lambda-Cluster-Access-Key-Id"] = credentials.AccessKeyId;
                    http.Response.Headers["Lambda-Cluster-Secret-Access-Key"] = credentials.SecretAccessKey;
                    http.Response.Headers["Lambda-Cluster-Session-Token"] = credentials.SessionToken;
                }
            }

            if (order.ReapPid is { } reap)
            {
                http.Response.Headers["Lambda-Cluster-Reap"] = reap.ToString(CultureInfo.InvariantCulture);
            }

            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentLength = 0;
            return;
        }

        int? runtimePid = int.TryParse(http.Request.Headers["Lambda-Cluster-Runtime-Pid"], NumberStyles.None, CultureInfo.InvariantCulture, out var runtime) ? runtime : null;
        if (!supervisor.TryGetByPort(port, out var environment)
            || !int.TryParse(http.Request.Headers["Lambda-Cluster-Fork-Pid"], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !environment.ForkCheckIn(pid, runtimePid))
        {
            await WriteErrorAsync(http, StatusCodes.Status403Forbidden, "InvalidStateTransition", "State transition is not allowed");
            return;
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentLength = 0;
    }

    /// <summary>SnapStart's <c>POST /restore/error</c>: an after-restore hook failed (AWS's Python client sends Runtime.AfterRestoreError); the restore fails.</summary>
    private static async Task RestoreErrorAsync(HttpContext http, EnvironmentSupervisor supervisor)
    {
        if (!TryFindSession(http, supervisor, out var session))
        {
            await WriteErrorAsync(http, StatusCodes.Status403Forbidden, "InvalidStateTransition", "No execution environment is bound to this endpoint.");
            return;
        }

        var body = await RequestBodyReader.ReadAsync(http.Request, ExecutionEnvironment.MaxResponseBytes, http.RequestAborted);
        var errorType = http.Request.Headers[ErrorTypeHeader].ToString();
        await WriteOutcomeAsync(http, session.PostInitError(string.IsNullOrEmpty(errorType) ? Runtimes.Invocation.FunctionErrorTypes.AfterRestoreError : errorType, body.Bytes));
    }

    private static async Task NextAsync(HttpContext http, EnvironmentSupervisor supervisor)
    {
        if (!TryFindSession(http, supervisor, out var session))
        {
            await WriteErrorAsync(http, StatusCodes.Status500InternalServerError, "EnvironmentNotFound", "No execution environment is bound to this endpoint.");
            return;
        }

        var next = session.Next(http.RequestAborted);
        if (next is null)
        {
            await WriteErrorAsync(http, StatusCodes.Status403Forbidden, "InvalidStateTransition", "State transition from Running to Ready failed for runtime. Error: State transition is not allowed");
            return;
        }

        ActiveInvocation? invocation;
        try
        {
            invocation = await next;
        }
        catch (OperationCanceledException)
        {
            return; // the runtime went away while parked
        }

        if (invocation is null)
        {
            await WriteErrorAsync(http, StatusCodes.Status500InternalServerError, "EnvironmentShutdown", "The execution environment is shutting down.");
            return;
        }

        var request = invocation.Request;
        var headers = http.Response.Headers;
        headers["Lambda-Runtime-Aws-Request-Id"] = request.RequestId;
        headers["Lambda-Runtime-Deadline-Ms"] = invocation.DeadlineMs.ToString(CultureInfo.InvariantCulture);
        headers["Lambda-Runtime-Invoked-Function-Arn"] = request.InvokedFunctionArn;
        headers["Lambda-Runtime-Trace-Id"] = request.TraceId;
        if (request.ClientContext is not null)
        {
            headers["Lambda-Runtime-Client-Context"] = request.ClientContext;
        }

        // The Python runtime client decodes the event only when the content type is exactly this.
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = request.Payload.Length;
        await http.Response.Body.WriteAsync(request.Payload);
    }

    private static async Task ResponseAsync(HttpContext http, EnvironmentSupervisor supervisor, string requestId)
    {
        if (!TryFindSession(http, supervisor, out var session))
        {
            await WriteErrorAsync(http, StatusCodes.Status400BadRequest, "InvalidRequestID", "Invalid request ID");
            return;
        }

        var mode = http.Request.Headers[ResponseModeHeader].ToString();
        if (mode.Length > 0)
        {
            if (mode != "streaming")
            {
                await WriteErrorAsync(http, StatusCodes.Status400BadRequest, "InvalidFunctionResponseMode", $"Invalid function response mode: '{mode}'. The only supported mode is 'streaming'.");
                return;
            }

            await StreamedResponseAsync(http, session, requestId);
            return;
        }

        var body = await RequestBodyReader.ReadAsync(http.Request, ExecutionEnvironment.MaxResponseBytes, http.RequestAborted);
        var outcome = body.TooLarge
            ? session.PostResponseTooLarge(requestId, body.Length)
            : session.PostResponse(requestId, body.Bytes, http.Request.ContentType);
        await AnswerPostAsync(http, supervisor, outcome);
    }

    /// <summary>
    /// A response in streaming mode: a chunked body passed on piece by piece as it arrives, ended by the
    /// error trailers when the function failed mid-stream. Flow: claim the response for the id → copy the body
    /// into the invocation's stream until it ends, goes over its limit, or the invocation ends (then the
    /// connection is dropped so the runtime's writes fail) → read the trailers → complete → 202.
    /// </summary>
    private static async Task StreamedResponseAsync(HttpContext http, RuntimeApiSession session, string requestId)
    {
        var begun = session.BeginStreamedResponse(requestId, http.Request.ContentType, out var stream);
        if (stream is null)
        {
            await WriteOutcomeAsync(http, begun);
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stream.Ended);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while ((read = await http.Request.Body.ReadAsync(buffer, stop.Token)) > 0)
            {
                if (!await stream.WriteAsync(buffer.AsMemory(0, read)))
                {
                    await WriteOutcomeAsync(http, RuntimePostOutcome.PayloadTooLarge);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stream.Ended.IsCancellationRequested)
        {
            http.Abort(); // the invocation is over (timed out, or its caller went away): the runtime's writes now fail
            return;
        }
        catch (Exception e) when (e is IOException or BadHttpRequestException or OperationCanceledException)
        {
            // The runtime's connection broke before the body ended.
            var document = ExecutionEnvironment.ErrorDocument("Runtime.TruncatedResponse", $"RequestId: {requestId} Error: the runtime's streamed response ended before it was complete ({stream.Length} bytes received).");
            await stream.CompleteAsync("Runtime.TruncatedResponse", Convert.ToBase64String(document));
            return;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        string? errorType = null, errorBody = null;
        if (http.Request.SupportsTrailers() && http.Request.CheckTrailersAvailable())
        {
            errorType = http.Request.GetTrailer(ErrorTypeHeader).ToString();
            errorBody = http.Request.GetTrailer("Lambda-Runtime-Function-Error-Body").ToString();
        }

        await WriteOutcomeAsync(http, await stream.CompleteAsync(errorType, errorBody));
    }

    private static async Task ErrorAsync(HttpContext http, EnvironmentSupervisor supervisor, string requestId)
    {
        if (!TryFindSession(http, supervisor, out var session))
        {
            await WriteErrorAsync(http, StatusCodes.Status400BadRequest, "InvalidRequestID", "Invalid request ID");
            return;
        }

        var body = await RequestBodyReader.ReadAsync(http.Request, ExecutionEnvironment.MaxResponseBytes, http.RequestAborted);
        var errorType = http.Request.Headers[ErrorTypeHeader].ToString();
        await AnswerPostAsync(http, supervisor, session.PostError(requestId, errorType, body.Bytes));
    }

    private static async Task InitErrorAsync(HttpContext http, EnvironmentSupervisor supervisor)
    {
        if (supervisor.Snapshots.TryGetByPort(http.Connection.LocalPort, out var template))
        {
            var templateBody = await RequestBodyReader.ReadAsync(http.Request, ExecutionEnvironment.MaxResponseBytes, http.RequestAborted);
            await WriteOutcomeAsync(http, template.PostInitError(http.Request.Headers[ErrorTypeHeader].ToString(), templateBody.Bytes) ? RuntimePostOutcome.Accepted : RuntimePostOutcome.InvalidStateTransition);
            return;
        }

        if (!TryFindSession(http, supervisor, out var session))
        {
            await WriteErrorAsync(http, StatusCodes.Status403Forbidden, "InvalidStateTransition", "No execution environment is bound to this endpoint.");
            return;
        }

        var body = await RequestBodyReader.ReadAsync(http.Request, ExecutionEnvironment.MaxResponseBytes, http.RequestAborted);
        var errorType = http.Request.Headers[ErrorTypeHeader].ToString();
        await WriteOutcomeAsync(http, session.PostInitError(errorType, body.Bytes));
    }

    private static bool TryFindSession(HttpContext http, EnvironmentSupervisor supervisor, out RuntimeApiSession session)
    {
        // A SnapStart fork's endpoint answers nothing until the fork checked in (another process of the template's user could reach it first).
        var found = supervisor.TryGetByPort(http.Connection.LocalPort, out var environment) && !environment.AwaitingFork;
        session = found ? environment.Session : null!;
        return found;
    }

    /// <summary>The answer to an invocation's response or error: its outcome, or the next event when the runtime asks with <see cref="ThenNextHeader"/>.</summary>
    private static Task AnswerPostAsync(HttpContext http, EnvironmentSupervisor supervisor, RuntimePostOutcome outcome) =>
        http.Request.Headers[ThenNextHeader] == "1" ? NextAsync(http, supervisor) : WriteOutcomeAsync(http, outcome);

    private static Task WriteOutcomeAsync(HttpContext http, RuntimePostOutcome outcome) => outcome switch
    {
        RuntimePostOutcome.Accepted => WriteStatusOkAsync(http),
        RuntimePostOutcome.InvalidRequestId => WriteErrorAsync(http, StatusCodes.Status400BadRequest, "InvalidRequestID", "Invalid request ID"),
        RuntimePostOutcome.PayloadTooLarge => WriteErrorAsync(http, StatusCodes.Status413PayloadTooLarge, "RequestEntityTooLarge", $"Exceeded maximum allowed payload size ({ExecutionEnvironment.MaxResponseBytes} bytes)."),
        _ => WriteErrorAsync(http, StatusCodes.Status403Forbidden, "InvalidStateTransition", "State transition is not allowed"),
    };

    private static Task WriteStatusOkAsync(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status202Accepted;
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = StatusOk.Length;
        return http.Response.Body.WriteAsync(StatusOk).AsTask();
    }

    private static Task WriteErrorAsync(HttpContext http, int status, string errorType, string message)
    {
        var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new RuntimeApiError(message, errorType), RuntimeApiJsonContext.Default.RuntimeApiError);
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = body.Length + 1;
        return WriteLineAsync(http.Response.Body, body);
    }

    private static async Task WriteLineAsync(Stream body, byte[] json)
    {
        await body.WriteAsync(json);
        await body.WriteAsync("\n"u8.ToArray());
    }
}

namespace LambdaCluster.Gateway.Invocation;

/// <summary>
/// An invoke operation of Lambda's API as the front door checks it: its name (in Lambda's error messages) and the
/// invocation types it takes (<c>X-Amz-Invocation-Type</c>; the first is the default).
/// See https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html and API_InvokeWithResponseStream.html.
/// </summary>
public sealed record InvokeOperation(string Name, IReadOnlyList<string> InvocationTypes)
{
    public static readonly InvokeOperation Invoke = new("InvokeFunction", ["Event", "RequestResponse", "DryRun"]);

    public static readonly InvokeOperation InvokeWithResponseStream = new("InvokeWithResponseStream", ["RequestResponse", "DryRun"]);

    /// <summary>Lambda's synchronous payload limit (6 MB), for RequestResponse, DryRun and function URLs.</summary>
    public const int MaxSyncPayloadBytes = 6 * 1024 * 1024;

    /// <summary>Lambda's asynchronous payload limit (1 MB), for Event.</summary>
    public const int MaxAsyncPayloadBytes = 1024 * 1024;

    /// <summary>The payload limit for an invocation type.</summary>
    public static int PayloadLimit(string invocationType) => invocationType == "Event" ? MaxAsyncPayloadBytes : MaxSyncPayloadBytes;
}

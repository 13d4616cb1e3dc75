using LambdaCluster.Grains.Errors;
using LambdaCluster.Runtimes.Invocation;

namespace LambdaCluster.Gateway.Invocation;

/// <summary>
/// How one front door frames a streamed response (<see cref="InvocationResponseWriter.StreamAsync"/> drives it):
/// InvokeWithResponseStream as event-stream messages, a RESPONSE_STREAM function URL as a plain HTTP response.
/// </summary>
public interface IResponseStreamFormat
{
    /// <summary>The function began its response with this content type.</summary>
    Task StartAsync(string contentType);

    /// <summary>The next bytes the function wrote, to go out at once.</summary>
    Task WriteChunkAsync(byte[] chunk);

    /// <summary>How the invocation ended (its function error and log tail when it has them); nothing follows.</summary>
    Task CompleteAsync(InvocationResult result);

    /// <summary>The platform failed after the response head went out (say, the environment's node left).</summary>
    Task FailAsync(LambdaServiceException error);
}

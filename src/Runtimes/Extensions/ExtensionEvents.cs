namespace LambdaCluster.Runtimes.Extensions;

/// <summary>The lifecycle events an extension can register for (Extensions API 2020-01-01, <c>{"events":["INVOKE","SHUTDOWN"]}</c>).</summary>
[Flags]
internal enum ExtensionEvents
{
    None = 0,

    /// <summary><c>INVOKE</c>: one event per invocation, with its request id, deadline and tracing header, never its payload.</summary>
    Invoke = 1,

    /// <summary><c>SHUTDOWN</c>: the environment is about to stop; external extensions only.</summary>
    Shutdown = 2,
}

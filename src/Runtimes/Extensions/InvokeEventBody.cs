namespace LambdaCluster.Runtimes.Extensions;

/// <summary>
/// An INVOKE event: <c>{"eventType":"INVOKE","deadlineMs":…,"requestId":…,"invokedFunctionArn":…,"tracing":{"type":"X-Amzn-Trace-Id","value":…}}</c>
/// (the Lambda guide's runtimes-extensions-api, "Invoke phase"); never the function's payload.
/// </summary>
internal sealed record InvokeEventBody(string EventType, long DeadlineMs, string RequestId, string InvokedFunctionArn, TracingBody Tracing);

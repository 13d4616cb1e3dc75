namespace LambdaCluster.Runtimes.Extensions;

/// <summary>A SHUTDOWN event: <c>{"eventType":"SHUTDOWN","shutdownReason":"spindown|timeout|failure","deadlineMs":…}</c>.</summary>
internal sealed record ShutdownEventBody(string EventType, string ShutdownReason, long DeadlineMs);

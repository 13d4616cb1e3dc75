namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>InvokeWithResponseStream's last event: how the invocation ended, and the log tail when asked for.</summary>
public sealed class InvokeCompleteEventDto
{
    public string? ErrorCode { get; init; }

    public string? ErrorDetails { get; init; }

    public string? LogResult { get; init; }
}

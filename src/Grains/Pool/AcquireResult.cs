namespace LambdaCluster.Grains.Pool;

/// <summary>A pool's answer to an acquire, as a value: a lease, or why there is none (Lambda's throttle Reason, or the missing function's ARN).</summary>
[GenerateSerializer, Immutable, Alias("lambda.acquire-result")]
public sealed record AcquireResult
{
    [Id(0)] public required AcquireStatus Status { get; init; }

    [Id(1)] public EnvironmentLease? Lease { get; init; }

    /// <summary>The throttle Reason, or the ARN that was not found.</summary>
    [Id(2)] public string? Detail { get; init; }

    public static AcquireResult Leased(EnvironmentLease lease) => new() { Status = AcquireStatus.Leased, Lease = lease };

    public static AcquireResult Throttled(string reason) => new() { Status = AcquireStatus.Throttled, Detail = reason };

    public static AcquireResult NotFound(string arn) => new() { Status = AcquireStatus.NotFound, Detail = arn };

    /// <summary>True when a NotReady version waits for its SnapStart snapshot (SnapStartNotReadyException), not for its image or creation.</summary>
    [Id(3)] public bool Snapshot { get; init; }

    public static AcquireResult NotReady(string state, bool snapshot) => new() { Status = AcquireStatus.NotReady, Detail = state, Snapshot = snapshot };
}

namespace LambdaCluster.Grains.Pool;

/// <summary>How a pool answered an acquire.</summary>
public enum AcquireStatus
{
    /// <summary>An environment is leased to the caller.</summary>
    Leased,

    /// <summary>A concurrency limit or the scaling rate refused it (TooManyRequestsException with the Reason given).</summary>
    Throttled,

    /// <summary>The function or version does not exist.</summary>
    NotFound,

    /// <summary>The version cannot run yet or any more: its State (Pending while its SnapStart snapshot is made, or Failed) is the detail.</summary>
    NotReady,
}

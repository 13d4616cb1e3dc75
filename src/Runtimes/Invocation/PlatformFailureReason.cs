namespace LambdaCluster.Runtimes.Invocation;

/// <summary>Why the platform failed an invocation (<see cref="InvocationOutcome.PlatformFailure"/>).</summary>
public enum PlatformFailureReason
{
    /// <summary>Not a platform failure.</summary>
    None,

    /// <summary>The leased environment had already stopped (crashed while idle, reaped, its node stopping). Nothing ran.</summary>
    EnvironmentGone,

    /// <summary>The leased environment was handling another invocation (a lease taken twice after a pool moved). Nothing ran.</summary>
    EnvironmentBusy,

    /// <summary>The node had no free Runtime API slot for a new environment. Nothing ran.</summary>
    NoCapacity,

    /// <summary>The function's code or configuration changed after the lease was granted. Nothing ran.</summary>
    StaleRevision,

    /// <summary>The deployment package (or a layer) could not be read or unpacked on the node. Nothing ran.</summary>
    CodeUnavailable,

    /// <summary>The launcher could not start the runtime process. Nothing ran.</summary>
    LaunchFailed,

    /// <summary>The node running the environment left the cluster or stopped it; the function may or may not have run.</summary>
    NodeLost,

    /// <summary>SnapStart: the environment's restore failed (an after-restore hook raised, or the runtime ended during it). Lambda's SnapStartException.</summary>
    SnapStartRestoreFailed,

    /// <summary>SnapStart: the restore did not end within 10 seconds. Lambda's SnapStartTimeoutException.</summary>
    SnapStartTimedOut,

    /// <summary>SnapStart: the version's snapshot (its template) could not be made on the node. Lambda's SnapStartNotReadyException.</summary>
    SnapStartNotReady,

    /// <summary>The version is not Active (a SnapStart version whose snapshot failed). Lambda's ResourceConflictException.</summary>
    VersionNotActive,

    /// <summary>VpcConfig: none of the function's subnets is defined on this node (or the node cannot attach networks). Lambda's InvalidSubnetIDException. Nothing ran.</summary>
    InvalidSubnet,

    /// <summary>VpcConfig: a security group of the function is not defined on this node. Lambda's InvalidSecurityGroupIDException. Nothing ran.</summary>
    InvalidSecurityGroup,

    /// <summary>VpcConfig: the function's subnets have no free address on this node. Lambda's SubnetIPAddressLimitReachedException. Nothing ran.</summary>
    SubnetOutOfAddresses,

    /// <summary>FileSystemConfigs: the access point could not be mounted (unknown here, or its root directory missing). Lambda's EFSMountFailureException. Nothing ran.</summary>
    FileSystemMountFailed,

    /// <summary>An unexpected fault in the platform; the function may or may not have run.</summary>
    Unexpected,
}

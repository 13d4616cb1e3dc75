using LambdaCluster.Runtimes.Invocation;

namespace LambdaCluster.Runtimes.Launch;

/// <summary>
/// A launcher's refusal for a reason Lambda names (a subnet this node does not have, no free address, a file system
/// that cannot be mounted): the invocation fails with <see cref="Reason"/> and this message, as Lambda's Invoke does
/// with its EC2 and EFS errors, rather than as an internal fault.
/// </summary>
public sealed class LaunchRefusedException(PlatformFailureReason reason, string message) : Exception(message)
{
    /// <summary>Why, as the invoker maps it to Lambda's error type.</summary>
    public PlatformFailureReason Reason { get; } = reason;
}

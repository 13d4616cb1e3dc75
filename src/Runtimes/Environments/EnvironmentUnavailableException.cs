namespace LambdaCluster.Runtimes.Environments;

/// <summary>
/// The environment chosen for an invocation is gone (shut down, crashed while idle, or its node's
/// capacity is exhausted) and the invocation never started there: the caller may pick another.
/// </summary>
public sealed class EnvironmentUnavailableException(string message) : Exception(message);

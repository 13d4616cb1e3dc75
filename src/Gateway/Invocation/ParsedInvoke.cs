using LambdaCluster.Runtimes.Invocation;

namespace LambdaCluster.Gateway.Invocation;

/// <summary>
/// An invocation as every front door hands it on: the function, the qualifier it was called with (an alias, a version
/// or none), the version that runs (an alias resolved), the invocation type and the request the environment receives.
/// </summary>
public sealed record ParsedInvoke(string FunctionName, string? Qualifier, string Version, string InvocationType, string FunctionArn, InvocationRequest Request);

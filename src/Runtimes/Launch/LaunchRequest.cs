using LambdaCluster.Runtimes.Catalog;
using LambdaCluster.Runtimes.Credentials;
using LambdaCluster.Runtimes.Invocation;

namespace LambdaCluster.Runtimes.Launch;

/// <summary>
/// What a launcher needs to start one environment's process tree. <c>LayersDirectory</c> holds the merged layers (what
/// Lambda mounts at /opt); <c>Credentials</c> are the function's temporary credentials, when the node issues them.
/// </summary>
public sealed record LaunchRequest(
    string EnvironmentId,
    EnvironmentSpec Spec,
    RuntimeDescriptor Runtime,
    string CodeDirectory,
    string RuntimeApiAddress,
    string LogStreamName,
    string InitializationType,
    string? LayersDirectory = null,
    EnvironmentCredentials? Credentials = null);

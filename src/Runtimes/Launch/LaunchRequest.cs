using LambdaCluster.Runtimes.Catalog;
using LambdaCluster.Runtimes.Invocation;

namespace LambdaCluster.Runtimes.Launch;

/// <summary>What a launcher needs to start one environment's process tree. <c>LayersDirectory</c> holds the merged layers (what Lambda mounts at /opt).</summary>
public sealed record LaunchRequest(
    string EnvironmentId,
    EnvironmentSpec Spec,
    RuntimeDescriptor Runtime,
    string CodeDirectory,
    string RuntimeApiAddress,
    string LogStreamName,
    string InitializationType,
    string? LayersDirectory = null);

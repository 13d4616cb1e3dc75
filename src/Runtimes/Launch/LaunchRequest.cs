using LambdaCluster.Runtimes.Catalog;
using LambdaCluster.Runtimes.Invocation;

namespace LambdaCluster.Runtimes.Launch;

/// <summary>What a launcher needs to start one environment's process tree.</summary>
public sealed record LaunchRequest(
    string EnvironmentId,
    EnvironmentSpec Spec,
    RuntimeDescriptor Runtime,
    string CodeDirectory,
    string RuntimeApiAddress,
    string LogStreamName,
    string InitializationType);

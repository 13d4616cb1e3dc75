using LambdaCluster.Runtimes.Catalog;
using LambdaCluster.Runtimes.Credentials;
using LambdaCluster.Runtimes.Invocation;

namespace LambdaCluster.Runtimes.Launch;

/// <summary>
/// What a launcher needs to start one environment's process tree. <c>LayersDirectory</c> holds the merged layers (what
/// Lambda mounts at /opt); <c>Credentials</c> are the function's temporary credentials, when the node issues them.
/// <c>ForkDirectory</c> is set for a SnapStart template only: the host folder where the node puts the output pipe of
/// each environment forked from it (shown to a sandboxed template at <c>/var/lambda-forks</c>). <c>PrestartSlot</c> is set
/// for a runtime started before its function is known: a host folder whose <c>task</c> and <c>opt</c> folders are
/// shown at /var/task and /opt, where the function's code and layers are mounted when it is given one.
/// <c>Extensions</c> are the file names of the external extensions in the layers' <c>extensions</c> folder, started
/// before the runtime (<see cref="Extensions.ExternalExtensions"/>). <c>Image</c> is a container image function's unpacked image
/// (its root is the sandbox's /; <c>CodeDirectory</c> is that root).
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
    EnvironmentCredentials? Credentials = null,
    string? ForkDirectory = null,
    PrestartSlot? PrestartSlot = null,
    IReadOnlyList<string>? Extensions = null,
    Images.ImageRoot? Image = null);

using LambdaCluster.Runtimes.Hosting;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Runtimes.Launch;

/// <summary>
/// Starts an environment as a plain, unconfined child process of the node (<c>Environments:Isolation=None</c>): the
/// interpreter (or the package's bootstrap) with a built environment and the code folder as working directory.
/// It shares the node's file system, network and users; see <see cref="Sandbox.SandboxLauncher"/> for the default. A
/// function with a VpcConfig or FileSystemConfigs is refused (<see cref="LaunchRefusedException"/>): it cannot be kept on
/// its subnet, or given its access point, without a sandbox.
/// </summary>
public sealed class PlainProcessLauncher(IOptions<EnvironmentOptions> options, TimeProvider time) : IEnvironmentLauncher
{
    public IReadOnlyDictionary<string, string> EnvironmentFor(LaunchRequest request) =>
        ProcessEnvironmentBuilder.Build(request, ProcessEnvironmentBuilder.RuntimeDirectory(request.Runtime, options.Value.RuntimeClientsDirectory));

    public IEnvironmentProcess Launch(LaunchRequest request, Action<string> onOutputLine)
    {
        if (request.Image is not null)
        {
            throw new LaunchRefusedException(Invocation.PlatformFailureReason.LaunchFailed, "Lambda could not start the function's container image: this node runs functions unconfined (Environments:Isolation=None), and an image needs the sandbox's root.");
        }

        if (request.Spec.Vpc is not null)
        {
            throw new LaunchRefusedException(Invocation.PlatformFailureReason.InvalidSubnet, "Lambda could not attach the function to its VPC: this node runs functions unconfined (Environments:Isolation=None).");
        }

        if (request.Spec.FileSystem is not null)
        {
            throw new LaunchRefusedException(Invocation.PlatformFailureReason.FileSystemMountFailed, "Lambda was not able to mount the function's file system: this node runs functions unconfined (Environments:Isolation=None).");
        }

        var settings = options.Value;
        var runtimeDirectory = ProcessEnvironmentBuilder.RuntimeDirectory(request.Runtime, settings.RuntimeClientsDirectory);
        var (executable, arguments) = RuntimeCommand.For(request, settings, request.CodeDirectory, runtimeDirectory);
        var process = RuntimeProcess.Start(
            Extensions.ExternalExtensions.Wrap([executable, .. arguments], request.LayersDirectory ?? "/opt", request.Extensions),
            request.CodeDirectory,
            ProcessEnvironmentBuilder.Build(request, runtimeDirectory),
            [],
            settings.BatchScheduling);
        return new PlainEnvironmentProcess(process, onOutputLine, time);
    }
}

using LambdaCluster.Runtimes.Catalog;
using LambdaCluster.Runtimes.Launch;

namespace LambdaCluster.Tests.Support.Fakes;

/// <summary>
/// The real launcher, except for functions a test made fail: it throws (<see cref="Fault.LauncherThrows"/>), or starts a
/// real process that misbehaves in the given way instead of the function's runtime (a custom runtime's bootstrap).
/// </summary>
public sealed class FaultyLauncher(IEnvironmentLauncher inner, Faults faults, string scratch) : IEnvironmentLauncher
{
    public IReadOnlyDictionary<string, string> EnvironmentFor(LaunchRequest request) => inner.EnvironmentFor(request);

    public IEnvironmentProcess Launch(LaunchRequest request, Action<string> onOutputLine)
    {
        var script = faults.For(request.Spec.FunctionName) switch
        {
            Fault.LauncherThrows => throw new InvalidOperationException("Injected: the launcher failed."),
            Fault.NeverAsksForEvent => "exec sleep 60",
            Fault.CrashesInInit => "echo crashing during init; exit 1",
            Fault.ExitsAfterTakingEvent => """python3 -c "import os, urllib.request; urllib.request.urlopen('http://' + os.environ['AWS_LAMBDA_RUNTIME_API'] + '/2018-06-01/runtime/invocation/next').read(); os._exit(3)" """,
            _ => null,
        };
        if (script is null)
        {
            return inner.Launch(request, onOutputLine);
        }

        var directory = Directory.CreateDirectory(Path.Combine(scratch, "faulty-runtimes", request.EnvironmentId)).FullName;
        var bootstrap = Path.Combine(directory, "bootstrap");
        File.WriteAllText(bootstrap, $"#!/bin/bash\n{script}\n");
        File.SetUnixFileMode(bootstrap, (UnixFileMode)0b111_101_101); // 755: the sandbox runs it as a user of its own
        RuntimeCatalog.TryGet("provided.al2023", out var provided);
        return inner.Launch(request with { CodeDirectory = directory, Runtime = provided }, onOutputLine);
    }
}

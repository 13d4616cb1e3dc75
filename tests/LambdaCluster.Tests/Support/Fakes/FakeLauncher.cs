using LambdaCluster.Runtimes.Launch;

namespace LambdaCluster.Tests.Support.Fakes;

/// <summary>Records launch requests and hands out <see cref="FakeProcess"/>es; or throws, when the test says so.</summary>
public sealed class FakeLauncher : IEnvironmentLauncher
{
    private readonly TaskCompletionSource<(LaunchRequest Request, FakeProcess Process, Action<string> Output)> _launched = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Exception? Failure { get; set; }

    /// <summary>Completes with the first launch: its request, its process, and the way to write its output.</summary>
    public Task<(LaunchRequest Request, FakeProcess Process, Action<string> Output)> Launched => _launched.Task;

    public IEnvironmentProcess Launch(LaunchRequest request, Action<string> onOutputLine)
    {
        if (Failure is not null)
        {
            throw Failure;
        }

        var process = new FakeProcess(4242);
        _launched.TrySetResult((request, process, onOutputLine));
        return process;
    }
}

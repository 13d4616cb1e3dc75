using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>One node shared by a collection, on a fresh temporary data directory.</summary>
public sealed class NodeFixture : IAsyncLifetime
{
    public NodeProcess Node { get; private set; } = null!;

    public string WorkDirectory { get; } = Directory.CreateTempSubdirectory("lambda-e2e-").FullName;

    public async Task InitializeAsync() =>
        Node = await NodeProcess.StartAsync(Path.Combine(WorkDirectory, "data"), new Dictionary<string, string>
        {
            ["Environments:KeepWarm"] = "00:00:30",
            ["AsyncInvoke:RetryDelays:0"] = "00:00:01", // Lambda waits a minute and two; the tests cannot
            ["AsyncInvoke:RetryDelays:1"] = "00:00:01",
        });

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        Directory.Delete(WorkDirectory, recursive: true);
    }
}

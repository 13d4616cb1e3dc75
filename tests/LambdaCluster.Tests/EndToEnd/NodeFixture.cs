using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>One node shared by a collection, on a fresh temporary data directory.</summary>
public class NodeFixture : IAsyncLifetime
{
    public NodeProcess Node { get; private set; } = null!;

    /// <summary>
    /// Outside /tmp (next to the test binaries): a sandboxed function has a /tmp of its own, so a data directory under the
    /// host's /tmp would be out of its sight for that reason alone, and the sandbox tests would prove nothing.
    /// </summary>
    public string WorkDirectory { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "e2e-work", $"lambda-e2e-{Guid.NewGuid():N}")).FullName;

    /// <summary>Signing profiles the node trusts (CodeSigning:Profiles): one good, one revoked, one expired; keys made by openssl.</summary>
    public SigningKeys Signing { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Signing = await SigningKeys.CreateAsync(Directory.CreateDirectory(Path.Combine(WorkDirectory, "signing")).FullName);
        var settings = new Dictionary<string, string>(Signing.Settings)
        {
            ["Environments:KeepWarm"] = "00:00:30",
            ["AsyncInvoke:RetryDelays:0"] = "00:00:01", // Lambda waits a minute and two; the tests cannot
            ["AsyncInvoke:RetryDelays:1"] = "00:00:01",
        };
        foreach (var (key, value) in MoreSettings())
        {
            settings[key] = value;
        }

        Node = await NodeProcess.StartAsync(Path.Combine(WorkDirectory, "data"), settings);
        await StartedAsync();
    }

    public async Task DisposeAsync()
    {
        if (Node is not null) // null when the fixture failed before the node started
        {
            await Node.DisposeAsync();
        }

        await StoppedAsync();
        Directory.Delete(WorkDirectory, recursive: true);
    }

    /// <summary>Settings a derived fixture adds to the node's.</summary>
    protected virtual IReadOnlyDictionary<string, string> MoreSettings() => new Dictionary<string, string>();

    /// <summary>Runs once the node has started.</summary>
    protected virtual Task StartedAsync() => Task.CompletedTask;

    /// <summary>Runs once the node has stopped.</summary>
    protected virtual Task StoppedAsync() => Task.CompletedTask;
}

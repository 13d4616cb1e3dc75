using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>Environment variables reach the function, but the node's stored state holds them only encrypted.</summary>
[Collection(NodeCollection.Name), Trait("Category", "EndToEnd")]
public sealed class SecretsAtRestTests(NodeFixture fixture)
{
    [Fact]
    public async Task EnvironmentVariables_AreEncryptedInStoredState()
    {
        const string secret = "plaintext-marker-5f1c9e";
        var zip = Tools.Zip(fixture.WorkDirectory, ("index.py", "import os\ndef handler(event, context):\n    return os.environ['DB_PASSWORD']\n"));
        var created = await Tools.AwsAsync(fixture.Node, "lambda", "create-function", "--function-name", "with-secret", "--runtime", "python3.12", "--handler", "index.handler",
            "--role", Functions.Role, "--zip-file", $"fileb://{zip}", "--environment", $"Variables={{DB_PASSWORD={secret}}}");
        Assert.True(created.ExitCode == 0, created.Stderr);
        var outFile = Path.Combine(fixture.WorkDirectory, "secret.json");
        Assert.Equal(0, (await Tools.AwsAsync(fixture.Node, "lambda", "invoke", "--function-name", "with-secret", outFile)).ExitCode);
        Assert.Equal($"\"{secret}\"", await File.ReadAllTextAsync(outFile));

        var stateFiles = Directory.EnumerateFiles(Path.Combine(fixture.Node.DataDirectory, "state"), "*", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(stateFiles);
        Assert.All(stateFiles, f => Assert.DoesNotContain(secret, File.ReadAllText(f), StringComparison.Ordinal));
        var key = Path.Combine(fixture.Node.DataDirectory, "keys", "state.key");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
    }
}

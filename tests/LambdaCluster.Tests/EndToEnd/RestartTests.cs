using Xunit;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>Functions, their code and their logs survive a restart of the node.</summary>
[Trait("Category", "EndToEnd")]
public sealed class RestartTests
{
    [Fact]
    public async Task Restart_KeepsFunctionsCodeAndLogs()
    {
        var work = Directory.CreateTempSubdirectory("lambda-restart-").FullName;
        try
        {
            var data = Path.Combine(work, "data");
            var zip = Tools.Zip(work, ("index.py", "def handler(e, c):\n    print('kept across restarts')\n    return 'still here'\n"));
            await using (var first = await NodeProcess.StartAsync(data))
            {
                Assert.Equal(0, (await Tools.AwsAsync(first, "lambda", "create-function", "--function-name", "survivor", "--runtime", "python3.12",
                    "--handler", "index.handler", "--role", Functions.Role, "--zip-file", $"fileb://{zip}")).ExitCode);
                Assert.Equal(0, (await Tools.AwsAsync(first, "lambda", "invoke", "--function-name", "survivor", Path.Combine(work, "1.json"))).ExitCode);
            }

            await using var second = await NodeProcess.StartAsync(data);
            Assert.Equal(0, (await Tools.AwsAsync(second, "lambda", "get-function", "--function-name", "survivor")).ExitCode);
            var invoked = await Tools.AwsAsync(second, "lambda", "invoke", "--function-name", "survivor", Path.Combine(work, "2.json"));
            Assert.True(invoked.ExitCode == 0, invoked.Stderr);
            Assert.Equal("\"still here\"", await File.ReadAllTextAsync(Path.Combine(work, "2.json")));
            var logs = await Tools.AwsAsync(second, "logs", "filter-log-events", "--log-group-name", "/aws/lambda/survivor", "--filter-pattern", "kept");
            Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(logs.Stdout, "kept across restarts").Count);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// A running aws CLI (py/aws_server.py: the CLI's own driver, one command per line) that <see cref="Tools.AwsAsync"/> reuses,
/// so that a test's CLI calls do not each pay the CLI's start. Idle ones are kept for the next call; as many run as calls
/// are in flight at once. A command that does not answer within two minutes has its process killed.
/// </summary>
internal sealed class AwsCliServer : IDisposable
{
    private static readonly ConcurrentBag<AwsCliServer> Idle = [];
    private readonly Process _process;

    private AwsCliServer(Process process) => _process = process;

    /// <summary>The CLI's answer to <paramref name="arguments"/>, with <paramref name="variables"/> set for the call.</summary>
    public static async Task<ProcessResult> RunAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> variables)
    {
        if (!Idle.TryTake(out var server) || server._process.HasExited)
        {
            server = Start(variables);
        }

        try
        {
            var result = await server.SendAsync(arguments, variables);
            Idle.Add(server);
            return result;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        _process.Dispose();
    }

    private static AwsCliServer Start(IReadOnlyDictionary<string, string> variables)
    {
        var start = new ProcessStartInfo(Tools.BotoPython) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Tools.RepositoryFile("tests", "LambdaCluster.Tests", "EndToEnd", "py", "aws_server.py"));
        foreach (var (key, value) in variables)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return new AwsCliServer(process);
    }

    private async Task<ProcessResult> SendAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> variables)
    {
        await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(new Dictionary<string, object> { ["args"] = arguments, ["env"] = variables }));
        await _process.StandardInput.FlushAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        string? line;
        try
        {
            line = await _process.StandardOutput.ReadLineAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"aws {string.Join(' ', arguments)} did not finish within 2 minutes.");
        }

        if (line is null)
        {
            throw new InvalidOperationException($"the aws CLI server ended during aws {string.Join(' ', arguments)}");
        }

        var answer = JsonDocument.Parse(line).RootElement;
        return new ProcessResult(answer.GetProperty("rc").GetInt32(), answer.GetProperty("stdout").GetString()!, answer.GetProperty("stderr").GetString()!);
    }
}

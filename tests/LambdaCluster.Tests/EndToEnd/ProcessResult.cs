namespace LambdaCluster.Tests.EndToEnd;

public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The error a refused command printed; fails the test when the command succeeded.</summary>
    public string Refusal => ExitCode != 0 ? Stderr : throw new Xunit.Sdk.XunitException($"the command succeeded: {Stdout}");

    /// <summary>The JSON a successful command printed (default when it printed nothing); fails the test when the command failed.</summary>
    public System.Text.Json.JsonElement Answer => ExitCode == 0
        ? (Stdout.Length == 0 ? default : Tools.Json(Stdout))
        : throw new Xunit.Sdk.XunitException($"the command failed: {Stderr}");
}

namespace LambdaCluster.Tests.EndToEnd;

public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr);

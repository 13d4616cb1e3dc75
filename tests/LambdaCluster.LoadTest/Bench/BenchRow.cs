namespace LambdaCluster.LoadTest.Bench;

/// <summary>One measured run: a setup (the function through the gateway, or the floor) at one concurrency.</summary>
public sealed record BenchRow(
    string Target,
    int Concurrency,
    long Requests,
    double Throughput,
    double P50Ms,
    double P99Ms,
    long Errors,
    long? ColdStarts,
    double? SiloCpuMsPerInvocation,
    double? FunctionCpuMsPerInvocation);

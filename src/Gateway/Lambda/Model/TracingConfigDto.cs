namespace LambdaCluster.Gateway.Lambda.Model;

public sealed record TracingConfigDto(string Mode);

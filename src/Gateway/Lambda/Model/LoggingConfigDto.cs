namespace LambdaCluster.Gateway.Lambda.Model;

public sealed record LoggingConfigDto(string LogFormat, string LogGroup);

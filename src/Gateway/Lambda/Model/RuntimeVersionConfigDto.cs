namespace LambdaCluster.Gateway.Lambda.Model;

public sealed record RuntimeVersionConfigDto(string RuntimeVersionArn);

namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>Lambda's FileSystemConfig: an access point's ARN and where the function sees it.</summary>
public sealed record FileSystemConfigDto(string? Arn, string? LocalMountPath);

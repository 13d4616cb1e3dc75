namespace LambdaCluster.Gateway.Lambda.Model;

public sealed record SnapStartResponseDto(string ApplyOn, string OptimizationStatus);

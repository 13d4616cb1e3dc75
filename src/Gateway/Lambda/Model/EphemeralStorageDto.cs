namespace LambdaCluster.Gateway.Lambda.Model;

public sealed record EphemeralStorageDto(int Size);

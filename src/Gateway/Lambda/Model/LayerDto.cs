namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>A layer as a FunctionConfiguration lists it.</summary>
public sealed record LayerDto(string Arn, long CodeSize);

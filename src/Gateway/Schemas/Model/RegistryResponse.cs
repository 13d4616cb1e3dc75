namespace LambdaCluster.Gateway.Schemas.Model;

/// <summary>Create/DescribeRegistry's answer.</summary>
public sealed record RegistryResponse(string? Description, string RegistryArn, string RegistryName, Dictionary<string, string> Tags);

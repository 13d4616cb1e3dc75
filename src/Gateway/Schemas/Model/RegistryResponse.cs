using System.Text.Json.Serialization;

namespace LambdaCluster.Gateway.Schemas.Model;

/// <summary>Create/DescribeRegistry's answer.</summary>
public sealed record RegistryResponse(string? Description, string RegistryArn, string RegistryName, [property: JsonPropertyName("tags")] Dictionary<string, string> Tags);

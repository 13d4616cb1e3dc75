using System.Text.Json.Serialization;

namespace LambdaCluster.Gateway.Schemas.Model;

/// <summary>CreateRegistry's body.</summary>
public sealed class RegistryRequest
{
    public string? Description { get; init; }
    [JsonPropertyName("tags")] public Dictionary<string, string>? Tags { get; init; }
}

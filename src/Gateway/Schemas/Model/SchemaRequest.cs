using System.Text.Json.Serialization;

namespace LambdaCluster.Gateway.Schemas.Model;

/// <summary>CreateSchema's and UpdateSchema's body (Content and Type required on create).</summary>
public sealed class SchemaRequest
{
    public string? Content { get; init; }
    public string? Description { get; init; }
    public string? Type { get; init; }
    public string? ClientTokenId { get; init; }
    [JsonPropertyName("tags")] public Dictionary<string, string>? Tags { get; init; }
}

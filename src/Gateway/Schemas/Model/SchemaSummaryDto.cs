using System.Text.Json.Serialization;

namespace LambdaCluster.Gateway.Schemas.Model;

/// <summary>ListSchemas' item.</summary>
public sealed record SchemaSummaryDto(string LastModified, string SchemaArn, string SchemaName, [property: JsonPropertyName("tags")] Dictionary<string, string> Tags, long VersionCount);

using System.Text.Json.Serialization;

namespace LambdaCluster.Gateway.Schemas.Model;

/// <summary>DescribeSchema's answer (Create/UpdateSchema's without Content). Dates are ISO 8601.</summary>
public sealed record SchemaResponse(
    string? Content,
    string? Description,
    string LastModified,
    string SchemaArn,
    string SchemaName,
    string SchemaVersion,
    [property: JsonPropertyName("tags")] Dictionary<string, string> Tags,
    string Type,
    string VersionCreatedDate);

namespace LambdaCluster.Gateway.Schemas.Model;

/// <summary>ListSchemas' answer; NextToken is the last name of the page when more follow.</summary>
public sealed record ListSchemasResponse(List<SchemaSummaryDto> Schemas, string? NextToken);

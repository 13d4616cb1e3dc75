namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>AddLayerVersionPermission's body (botocore: AddLayerVersionPermissionRequest); RevisionId comes in the query string.</summary>
public sealed class AddLayerVersionPermissionRequest
{
    public string? StatementId { get; init; }
    public string? Action { get; init; }
    public string? Principal { get; init; }
    public string? OrganizationId { get; init; }
}

namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>AddPermission's body (botocore: AddPermissionRequest); Qualifier comes in the query string.</summary>
public sealed class AddPermissionRequest
{
    public string? StatementId { get; init; }
    public string? Action { get; init; }
    public string? Principal { get; init; }
    public string? SourceArn { get; init; }
    public string? SourceAccount { get; init; }
    public string? EventSourceToken { get; init; }
    public string? RevisionId { get; init; }
    public string? PrincipalOrgID { get; init; }
    public string? FunctionUrlAuthType { get; init; }
    public bool? InvokedViaFunctionUrl { get; init; }
}

namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>Create/UpdateCodeSigningConfig's body (AllowedPublishers required on create only; Tags on create only).</summary>
public sealed class CodeSigningConfigRequest
{
    public string? Description { get; init; }
    public AllowedPublishersDto? AllowedPublishers { get; init; }
    public CodeSigningPoliciesDto? CodeSigningPolicies { get; init; }
    public Dictionary<string, string>? Tags { get; init; }
}

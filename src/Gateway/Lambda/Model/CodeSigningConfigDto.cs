namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>Lambda's CodeSigningConfig shape (LastModified as ISO 8601).</summary>
public sealed record CodeSigningConfigDto(
    string CodeSigningConfigId,
    string CodeSigningConfigArn,
    string Description,
    AllowedPublishersDto AllowedPublishers,
    CodeSigningPoliciesDto CodeSigningPolicies,
    string LastModified);

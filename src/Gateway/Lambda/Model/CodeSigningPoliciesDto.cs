namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>What a deployment of an untrusted package does: Warn or Enforce.</summary>
public sealed class CodeSigningPoliciesDto
{
    public string? UntrustedArtifactOnDeployment { get; init; }
}

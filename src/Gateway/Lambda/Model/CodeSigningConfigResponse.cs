namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary><c>{"CodeSigningConfig": {...}}</c>: Create/Get/UpdateCodeSigningConfig's answer.</summary>
public sealed record CodeSigningConfigResponse(CodeSigningConfigDto CodeSigningConfig);

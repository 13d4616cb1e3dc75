namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>Put/GetFunctionCodeSigningConfig's body and answer.</summary>
public sealed class FunctionCodeSigningConfigDto
{
    public string? CodeSigningConfigArn { get; init; }
    public string? FunctionName { get; init; }
}

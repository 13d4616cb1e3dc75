namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>Get/PutRuntimeManagementConfig's body and answer (FunctionArn only in answers).</summary>
public sealed class RuntimeManagementConfigDto
{
    public string? UpdateRuntimeOn { get; init; }
    public string? RuntimeVersionArn { get; init; }
    public string? FunctionArn { get; init; }
}

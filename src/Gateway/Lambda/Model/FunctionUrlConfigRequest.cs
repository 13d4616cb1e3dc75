namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>CreateFunctionUrlConfig and UpdateFunctionUrlConfig bodies.</summary>
public sealed class FunctionUrlConfigRequest
{
    public string? AuthType { get; init; }
    public CorsDto? Cors { get; init; }
    public string? InvokeMode { get; init; }
}

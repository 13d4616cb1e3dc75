namespace LambdaCluster.Gateway.Lambda.Model;

public sealed record FunctionUrlConfigDto
{
    public required string FunctionUrl { get; init; }
    public required string FunctionArn { get; init; }
    public required string AuthType { get; init; }
    public CorsDto? Cors { get; init; }
    public required string CreationTime { get; init; }
    public string? LastModifiedTime { get; init; }
    public string? InvokeMode { get; init; }
}

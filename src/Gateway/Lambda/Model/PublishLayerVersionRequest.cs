namespace LambdaCluster.Gateway.Lambda.Model;

public sealed class PublishLayerVersionRequest
{
    public string? Description { get; init; }
    public FunctionCodeDto? Content { get; init; }
    public List<string>? CompatibleRuntimes { get; init; }
    public List<string>? CompatibleArchitectures { get; init; }
    public string? LicenseInfo { get; init; }
}

namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>CreateFunction's body (members this platform acts on; others are accepted and ignored).</summary>
public sealed record CreateFunctionRequest
{
    public string? FunctionName { get; init; }
    public string? Runtime { get; init; }
    public string? Role { get; init; }
    public string? Handler { get; init; }
    public FunctionCodeDto? Code { get; init; }
    public string? Description { get; init; }
    public int? Timeout { get; init; }
    public int? MemorySize { get; init; }
    public bool? Publish { get; init; }
    public string? CodeSigningConfigArn { get; init; }
    public string? PackageType { get; init; }
    public ImageConfigDto? ImageConfig { get; init; }
    public EnvironmentDto? Environment { get; init; }
    public TracingConfigDto? TracingConfig { get; init; }
    public LoggingConfigDto? LoggingConfig { get; init; }
    public Dictionary<string, string>? Tags { get; init; }
    public List<string>? Architectures { get; init; }
    public EphemeralStorageDto? EphemeralStorage { get; init; }
    public VpcConfigDto? VpcConfig { get; init; }
    public List<FileSystemConfigDto>? FileSystemConfigs { get; init; }

    public SnapStartDto? SnapStart { get; init; }
    public List<string>? Layers { get; init; }
}

namespace LambdaCluster.Gateway.Lambda.Model;

public sealed record UpdateFunctionConfigurationRequest
{
    public string? Role { get; init; }
    public string? Handler { get; init; }
    public ImageConfigDto? ImageConfig { get; init; }
    public string? Description { get; init; }
    public int? Timeout { get; init; }
    public int? MemorySize { get; init; }
    public EnvironmentDto? Environment { get; init; }
    public string? Runtime { get; init; }
    public string? RevisionId { get; init; }
    public TracingConfigDto? TracingConfig { get; init; }
    public LoggingConfigDto? LoggingConfig { get; init; }
    public EphemeralStorageDto? EphemeralStorage { get; init; }
    public VpcConfigDto? VpcConfig { get; init; }
    public List<FileSystemConfigDto>? FileSystemConfigs { get; init; }

    public SnapStartDto? SnapStart { get; init; }
    public List<string>? Layers { get; init; }
}

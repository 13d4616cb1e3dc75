namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>Lambda's FunctionConfiguration, member for member; absent members are omitted, as Lambda omits them.</summary>
public sealed record FunctionConfigurationDto
{
    public required string FunctionName { get; init; }
    public required string FunctionArn { get; init; }
    /// <summary>Absent for a container image function, as is Handler.</summary>
    public string? Runtime { get; init; }
    public required string Role { get; init; }
    public string? Handler { get; init; }
    public required long CodeSize { get; init; }
    public required string Description { get; init; }
    public required int Timeout { get; init; }
    public required int MemorySize { get; init; }
    public required string LastModified { get; init; }
    public required string CodeSha256 { get; init; }
    public required string Version { get; init; }
    public EnvironmentDto? Environment { get; init; }
    public required TracingConfigDto TracingConfig { get; init; }
    public required string RevisionId { get; init; }
    public string? State { get; init; }
    public string? StateReason { get; init; }
    public string? StateReasonCode { get; init; }
    public string? LastUpdateStatus { get; init; }
    public string? LastUpdateStatusReason { get; init; }
    public string? LastUpdateStatusReasonCode { get; init; }
    public required string PackageType { get; init; }
    /// <summary>A container image function's ImageConfig, when it has one.</summary>
    public ImageConfigResponseDto? ImageConfigResponse { get; init; }
    public required IReadOnlyList<string> Architectures { get; init; }
    public required EphemeralStorageDto EphemeralStorage { get; init; }
    public required SnapStartResponseDto SnapStart { get; init; }
    public RuntimeVersionConfigDto? RuntimeVersionConfig { get; init; }
    public required LoggingConfigDto LoggingConfig { get; init; }
    /// <summary>Present only when the function has layers.</summary>
    public IReadOnlyList<LayerDto>? Layers { get; init; }
    /// <summary>The verified signature's profile version and signing job, when the function has a code signing configuration.</summary>
    public string? SigningProfileVersionArn { get; init; }
    public string? SigningJobArn { get; init; }
    /// <summary>Present when the function has (or had) a VpcConfig.</summary>
    public VpcConfigResponseDto? VpcConfig { get; init; }
    /// <summary>Present only when the function has a file system.</summary>
    public IReadOnlyList<FileSystemConfigDto>? FileSystemConfigs { get; init; }
}

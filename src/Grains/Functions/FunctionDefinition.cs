using LambdaCluster.Grains.Layers;
using LambdaCluster.Runtimes.Invocation;

namespace LambdaCluster.Grains.Functions;

/// <summary>
/// A function's $LATEST or one of its published versions: its configuration and the reference to its code. Persisted by the function
/// grain; <see cref="ConfigRevision"/> changes with every change of code or configuration that an
/// execution environment would notice.
/// </summary>
[GenerateSerializer, Immutable, Alias("lambda.function-definition")]
public sealed record FunctionDefinition
{
    [Id(0)] public required string FunctionName { get; init; }
    [Id(1)] public required string FunctionArn { get; init; }
    [Id(2)] public required string Runtime { get; init; }
    [Id(3)] public required string Role { get; init; }
    [Id(4)] public required string Handler { get; init; }
    [Id(5)] public string Description { get; init; } = "";
    [Id(6)] public int Timeout { get; init; } = 3;
    [Id(7)] public int MemorySize { get; init; } = 128;
    /// <summary>Null when no Environment was ever given (Lambda then omits the member).</summary>
    [Id(8)] public IReadOnlyDictionary<string, string>? Variables { get; init; }
    [Id(9)] public required string CodeSha256 { get; init; }
    [Id(10)] public required string CodeSha256Hex { get; init; }
    [Id(11)] public required long CodeSize { get; init; }
    [Id(12)] public required DateTimeOffset LastModified { get; init; }
    [Id(13)] public required string RevisionId { get; init; }
    [Id(14)] public required string ConfigRevision { get; init; }
    [Id(15)] public string Architecture { get; init; } = "x86_64";
    [Id(16)] public int EphemeralStorageSize { get; init; } = 512;
    [Id(17)] public string TracingMode { get; init; } = "PassThrough";
    [Id(18)] public required string LogGroup { get; init; }
    [Id(19)] public IReadOnlyDictionary<string, string>? Tags { get; init; }
    [Id(20)] public required string Region { get; init; }
    /// <summary>"$LATEST", or the number of a published version.</summary>
    [Id(21)] public string Version { get; init; } = "$LATEST";
    [Id(22)] public IReadOnlyList<FunctionLayer> Layers { get; init; } = [];
    /// <summary>LoggingConfig.LogFormat: Text or JSON.</summary>
    [Id(23)] public string LogFormat { get; init; } = "Text";
    /// <summary>LoggingConfig.ApplicationLogLevel (JSON only; INFO when unset).</summary>
    [Id(24)] public string? ApplicationLogLevel { get; init; }
    /// <summary>LoggingConfig.SystemLogLevel (JSON only; INFO when unset).</summary>
    [Id(25)] public string? SystemLogLevel { get; init; }
    /// <summary>SnapStart.ApplyOn: PublishedVersions or None.</summary>
    [Id(26)] public string SnapStartApplyOn { get; init; } = "None";
    /// <summary>A published version's State when not Active: Pending while its SnapStart snapshot is made, Failed when it could not be.</summary>
    [Id(27)] public string? State { get; init; }
    /// <summary>StateReasonCode and StateReason, with <see cref="State"/>.</summary>
    [Id(28)] public string? StateReasonCode { get; init; }
    [Id(29)] public string? StateReason { get; init; }

    /// <summary>SigningProfileVersionArn and SigningJobArn of the package's signature, when a code signing configuration verified it.</summary>
    [Id(30)] public string? SigningProfileVersionArn { get; init; }
    [Id(31)] public string? SigningJobArn { get; init; }

    /// <summary>VpcConfig: null when never given; see <see cref="FunctionVpcConfig"/>.</summary>
    [Id(32)] public FunctionVpcConfig? Vpc { get; init; }

    /// <summary>FileSystemConfigs (at most one).</summary>
    [Id(33)] public IReadOnlyList<FileSystemConfig> FileSystems { get; init; } = [];

    /// <summary>PackageType: Zip, or Image (a container image; no Runtime or Handler).</summary>
    [Id(34)] public string PackageType { get; init; } = "Zip";

    /// <summary>Code.ImageUri as given, and ResolvedImageUri: the same image pinned to its manifest digest (every node runs those bytes).</summary>
    [Id(35)] public string? ImageUri { get; init; }
    [Id(36)] public string? ResolvedImageUri { get; init; }

    /// <summary>ImageConfig, when one was given.</summary>
    [Id(37)] public FunctionImageConfig? ImageConfig { get; init; }

    /// <summary>LastUpdateStatus while a new image is pulled (InProgress) or when that failed (Failed, with its reason); null: Successful.</summary>
    [Id(38)] public string? LastUpdateStatus { get; init; }
    [Id(39)] public string? LastUpdateStatusReasonCode { get; init; }
    [Id(40)] public string? LastUpdateStatusReason { get; init; }

    public bool IsImage => PackageType == "Image";

    /// <summary>SnapStart.OptimizationStatus: On for a published version made with SnapStart, Off otherwise.</summary>
    public bool SnapStartOn => SnapStartApplyOn == "PublishedVersions" && Version != "$LATEST";

    public EnvironmentSpec ToEnvironmentSpec() => new()
    {
        FunctionName = FunctionName,
        FunctionArn = FunctionArn,
        Version = Version,
        Runtime = Runtime,
        Handler = Handler,
        MemorySize = MemorySize,
        Timeout = Timeout,
        CodeSha256Hex = CodeSha256Hex,
        Variables = Variables ?? new Dictionary<string, string>(),
        Revision = ConfigRevision,
        LogGroup = LogGroup,
        Region = Region,
        LayerHashes = [.. Layers.Select(l => l.CodeSha256Hex)],
        EphemeralStorageSize = EphemeralStorageSize,
        LogFormat = LogFormat,
        ApplicationLogLevel = LogFormat == "JSON" ? ApplicationLogLevel ?? "INFO" : null,
        SystemLogLevel = LogFormat == "JSON" ? SystemLogLevel ?? "INFO" : null,
        SnapStart = SnapStartOn,
        Vpc = Vpc is { Attached: true } vpc ? new VpcConfig(vpc.SubnetIds, vpc.SecurityGroupIds) : null,
        FileSystem = FileSystems.Count > 0 ? FileSystems[0] : null,
        Image = IsImage ? new ImageSpec(ResolvedImageUri!, ImageConfig?.EntryPoint, ImageConfig?.Command, ImageConfig?.WorkingDirectory) : null,
    };
}

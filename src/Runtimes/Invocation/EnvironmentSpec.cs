namespace LambdaCluster.Runtimes.Invocation;

/// <summary>
/// Everything a node needs to start an execution environment for one function version:
/// the immutable snapshot of code and configuration that the environment lives with.
/// A change of code or configuration produces a new <see cref="Revision"/>; environments of an
/// older revision are retired rather than reused.
/// </summary>
[GenerateSerializer, Immutable, Alias("lambda.environment-spec")]
public sealed record EnvironmentSpec
{
    [Id(0)] public required string FunctionName { get; init; }
    [Id(1)] public required string FunctionArn { get; init; }
    [Id(2)] public required string Version { get; init; }
    [Id(3)] public required string Runtime { get; init; }
    [Id(4)] public required string Handler { get; init; }
    [Id(5)] public required int MemorySize { get; init; }
    [Id(6)] public required int Timeout { get; init; }
    [Id(7)] public required string CodeSha256Hex { get; init; }
    [Id(8)] public required IReadOnlyDictionary<string, string> Variables { get; init; }
    [Id(9)] public required string Revision { get; init; }
    [Id(10)] public required string LogGroup { get; init; }
    [Id(11)] public required string Region { get; init; }
    /// <summary>Package hashes of the function's layers, in the order they are extracted (later ones win).</summary>
    [Id(12)] public IReadOnlyList<string> LayerHashes { get; init; } = [];
    /// <summary>Lambda's EphemeralStorage.Size: the bound on /tmp, in MB (512-10240).</summary>
    [Id(13)] public int EphemeralStorageSize { get; init; } = 512;
    /// <summary>LoggingConfig.LogFormat: Text, or JSON (application and platform logs as JSON records).</summary>
    [Id(14)] public string LogFormat { get; init; } = "Text";
    /// <summary>LoggingConfig.ApplicationLogLevel with JSON (TRACE..FATAL): the runtime clients drop records below it.</summary>
    [Id(15)] public string? ApplicationLogLevel { get; init; }
    /// <summary>LoggingConfig.SystemLogLevel with JSON (DEBUG, INFO, WARN): the platform's records below it are dropped.</summary>
    [Id(16)] public string? SystemLogLevel { get; init; }

    /// <summary>
    /// SnapStart is on for this published version (SnapStart.ApplyOn PublishedVersions): its environments are restored
    /// from a template that ran INIT once on the node, instead of running INIT themselves.
    /// </summary>
    [Id(17)] public bool SnapStart { get; init; }

    /// <summary>The function's VpcConfig, or null: its environments then run in their own network namespace on one of these subnets.</summary>
    [Id(18)] public VpcConfig? Vpc { get; init; }

    /// <summary>The function's FileSystemConfigs (at most one; Lambda requires a VpcConfig with it), or null.</summary>
    [Id(19)] public FileSystemConfig? FileSystem { get; init; }

    /// <summary>A container image function's image (PackageType Image): its root is the sandbox's /, its ENTRYPOINT and CMD the process. Null for a .zip function.</summary>
    [Id(20)] public ImageSpec? Image { get; init; }

    /// <summary>True when the function's logs are JSON records (LoggingConfig.LogFormat JSON).</summary>
    public bool JsonLogs => LogFormat == "JSON";
}

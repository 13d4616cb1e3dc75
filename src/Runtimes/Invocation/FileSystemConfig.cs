namespace LambdaCluster.Runtimes.Invocation;

/// <summary>
/// Lambda's FileSystemConfig: the access point (an EFS access point ARN, which this node maps to a directory of its own,
/// FileSystemOptions) mounted read-write at <see cref="LocalMountPath"/> (/mnt/...)
/// (https://docs.aws.amazon.com/lambda/latest/dg/configuration-filesystem.html).
/// </summary>
[GenerateSerializer, Immutable, Alias("lambda.file-system-config")]
public sealed record FileSystemConfig(
    [property: Id(0)] string Arn,
    [property: Id(1)] string LocalMountPath);

namespace LambdaCluster.Gateway.Lambda.Model;

public sealed record FunctionCodeDto
{
    public byte[]? ZipFile { get; init; }
    public string? S3Bucket { get; init; }
    public string? S3Key { get; init; }
    public string? ImageUri { get; init; }
}

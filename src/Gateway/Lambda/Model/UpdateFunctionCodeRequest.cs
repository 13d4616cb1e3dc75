namespace LambdaCluster.Gateway.Lambda.Model;

public sealed record UpdateFunctionCodeRequest
{
    public byte[]? ZipFile { get; init; }
    public string? S3Bucket { get; init; }
    public string? S3Key { get; init; }
    public string? ImageUri { get; init; }
    public bool? Publish { get; init; }
    public bool? DryRun { get; init; }
    public string? RevisionId { get; init; }
    public List<string>? Architectures { get; init; }
}

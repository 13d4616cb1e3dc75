namespace LambdaCluster.Gateway.Lambda.Model;

public sealed class PublishVersionRequestDto
{
    public string? CodeSha256 { get; init; }
    public string? Description { get; init; }
    public string? RevisionId { get; init; }
}

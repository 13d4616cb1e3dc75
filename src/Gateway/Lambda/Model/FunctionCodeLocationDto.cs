namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>
/// GetFunction's Code: <c>RepositoryType</c> S3 with a download <c>Location</c> for a .zip function, ECR with
/// <c>ImageUri</c> and <c>ResolvedImageUri</c> (pinned to the manifest digest) for a container image function.
/// </summary>
public sealed record FunctionCodeLocationDto(string RepositoryType, string? Location)
{
    public string? ImageUri { get; init; }
    public string? ResolvedImageUri { get; init; }
}

namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>Get/PutFunctionRecursionConfig's body and answer.</summary>
public sealed class RecursionConfigDto
{
    public string? RecursiveLoop { get; init; }
}

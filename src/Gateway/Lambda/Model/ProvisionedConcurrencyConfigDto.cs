namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>A provisioned concurrency config: Put/Get responses, and (with FunctionArn) the items of List.</summary>
public sealed record ProvisionedConcurrencyConfigDto
{
    public string? FunctionArn { get; init; }
    public required int RequestedProvisionedConcurrentExecutions { get; init; }
    public required int AvailableProvisionedConcurrentExecutions { get; init; }
    public required int AllocatedProvisionedConcurrentExecutions { get; init; }
    public required string Status { get; init; }
    public string? StatusReason { get; init; }
    public required string LastModified { get; init; }
}

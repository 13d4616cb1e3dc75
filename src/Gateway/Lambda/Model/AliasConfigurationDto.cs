namespace LambdaCluster.Gateway.Lambda.Model;

public sealed record AliasConfigurationDto
{
    public required string AliasArn { get; init; }
    public required string Name { get; init; }
    public required string FunctionVersion { get; init; }
    public required string Description { get; init; }
    public AliasRoutingConfigurationDto? RoutingConfig { get; init; }
    public required string RevisionId { get; init; }
}

namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>CreateAlias and UpdateAlias bodies (Name only on create, RevisionId only on update).</summary>
public sealed class CreateAliasRequest
{
    public string? Name { get; init; }
    public string? FunctionVersion { get; init; }
    public string? Description { get; init; }
    public AliasRoutingConfigurationDto? RoutingConfig { get; init; }
    public string? RevisionId { get; init; }
}

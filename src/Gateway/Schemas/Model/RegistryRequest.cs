namespace LambdaCluster.Gateway.Schemas.Model;

/// <summary>CreateRegistry's body.</summary>
public sealed class RegistryRequest
{
    public string? Description { get; init; }
    public Dictionary<string, string>? Tags { get; init; }
}

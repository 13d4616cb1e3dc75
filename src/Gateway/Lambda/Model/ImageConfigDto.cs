namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>Lambda's ImageConfig: overrides of a container image's ENTRYPOINT, CMD and WORKDIR.</summary>
public sealed record ImageConfigDto
{
    public List<string>? EntryPoint { get; init; }
    public List<string>? Command { get; init; }
    public string? WorkingDirectory { get; init; }
}

namespace LambdaCluster.Gateway.Lambda.Model;

public sealed record GetFunctionResponse
{
    public required FunctionConfigurationDto Configuration { get; init; }
    public required FunctionCodeLocationDto Code { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    /// <summary>Present only when the function has reserved concurrency.</summary>
    public ConcurrencyDto? Concurrency { get; init; }
}

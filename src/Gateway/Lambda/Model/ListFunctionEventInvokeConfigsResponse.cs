namespace LambdaCluster.Gateway.Lambda.Model;

public sealed class ListFunctionEventInvokeConfigsResponse
{
    public required IReadOnlyList<FunctionEventInvokeConfigDto> FunctionEventInvokeConfigs { get; init; }

    public string? NextMarker { get; init; }
}

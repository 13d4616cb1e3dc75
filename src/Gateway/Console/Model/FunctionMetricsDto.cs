namespace LambdaCluster.Gateway.Console.Model;

/// <summary>GET /console-api/functions/{name}/metrics: the last 60 minutes, oldest first, every minute present.</summary>
public sealed record FunctionMetricsDto(string FunctionName, IReadOnlyList<MetricPointDto> Points);

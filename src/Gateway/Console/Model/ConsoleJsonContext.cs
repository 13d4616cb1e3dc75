using System.Text.Json.Serialization;

namespace LambdaCluster.Gateway.Console.Model;

/// <summary>Source-generated JSON for the console's own API (PascalCase, as the AWS APIs beside it).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ClusterDto))]
[JsonSerializable(typeof(FunctionMetricsDto))]
[JsonSerializable(typeof(NodeDto))]
public sealed partial class ConsoleJsonContext : JsonSerializerContext;

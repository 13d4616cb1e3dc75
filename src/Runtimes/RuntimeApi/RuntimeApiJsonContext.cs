using System.Text.Json.Serialization;

namespace LambdaCluster.Runtimes.RuntimeApi;

[JsonSerializable(typeof(RuntimeApiError))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class RuntimeApiJsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;

namespace LambdaCluster.Runtimes.Environments;

[JsonSerializable(typeof(ErrorDocumentBody))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class RuntimeJsonContext : JsonSerializerContext;

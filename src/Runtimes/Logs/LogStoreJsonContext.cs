using System.Text.Json.Serialization;

namespace LambdaCluster.Runtimes.Logs;

[JsonSerializable(typeof(StoredLine))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class LogStoreJsonContext : JsonSerializerContext;

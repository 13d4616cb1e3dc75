using System.Text.Json.Serialization;

namespace LambdaCluster.Runtimes.Extensions;

[JsonSerializable(typeof(RegisterRequestBody))]
[JsonSerializable(typeof(RegisterResponseBody))]
[JsonSerializable(typeof(InvokeEventBody))]
[JsonSerializable(typeof(ShutdownEventBody))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class ExtensionsJsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;

namespace LambdaCluster.Gateway.Schemas.Model;

/// <summary>Source-generated JSON for the Schemas API (rest-json, PascalCase members, nulls omitted).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(SchemaRequest))]
[JsonSerializable(typeof(RegistryRequest))]
[JsonSerializable(typeof(SchemaResponse))]
[JsonSerializable(typeof(RegistryResponse))]
[JsonSerializable(typeof(ListSchemasResponse))]
[JsonSerializable(typeof(Dictionary<string, string>))]
public sealed partial class SchemasJsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;

namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>Source-generated JSON for the Lambda API: exact PascalCase member names, nulls omitted, numbers strict.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNameCaseInsensitive = false, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(FunctionConfigurationDto))]
[JsonSerializable(typeof(GetFunctionResponse))]
[JsonSerializable(typeof(ListFunctionsResponse))]
[JsonSerializable(typeof(AccountSettingsResponse))]
[JsonSerializable(typeof(CreateFunctionRequest))]
[JsonSerializable(typeof(UpdateFunctionCodeRequest))]
[JsonSerializable(typeof(UpdateFunctionConfigurationRequest))]
[JsonSerializable(typeof(PublishVersionRequestDto))]
[JsonSerializable(typeof(ListVersionsByFunctionResponse))]
[JsonSerializable(typeof(ConcurrencyDto))]
[JsonSerializable(typeof(InvokeCompleteEventDto))]
[JsonSerializable(typeof(FunctionEventInvokeConfigDto))]
[JsonSerializable(typeof(ListFunctionEventInvokeConfigsResponse))]
[JsonSerializable(typeof(PutProvisionedConcurrencyConfigRequest))]
[JsonSerializable(typeof(ProvisionedConcurrencyConfigDto))]
[JsonSerializable(typeof(ListProvisionedConcurrencyConfigsResponse))]
[JsonSerializable(typeof(CreateAliasRequest))]
[JsonSerializable(typeof(AliasConfigurationDto))]
[JsonSerializable(typeof(ListAliasesResponse))]
[JsonSerializable(typeof(PublishLayerVersionRequest))]
[JsonSerializable(typeof(LayerVersionDto))]
[JsonSerializable(typeof(ListLayersResponse))]
[JsonSerializable(typeof(ListLayerVersionsResponse))]
[JsonSerializable(typeof(FunctionUrlConfigRequest))]
[JsonSerializable(typeof(FunctionUrlConfigDto))]
[JsonSerializable(typeof(ListFunctionUrlConfigsResponse))]
public sealed partial class LambdaJsonContext : JsonSerializerContext;

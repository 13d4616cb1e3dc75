namespace LambdaCluster.Grains.Functions;

/// <summary>
/// PutRuntimeManagementConfig's setting: UpdateRuntimeOn Auto, FunctionUpdate or Manual, and with Manual the runtime
/// version ARN to stay on. This cluster runs one build of each runtime, so the setting is kept and returned as Lambda
/// keeps it, and changes nothing about how the function runs.
/// </summary>
[GenerateSerializer, Immutable, Alias("lambda.runtime-management")]
public sealed record RuntimeManagementSetting([property: Id(0)] string UpdateRuntimeOn, [property: Id(1)] string? RuntimeVersionArn);

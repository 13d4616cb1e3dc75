namespace LambdaCluster.Grains.Functions;

/// <summary>
/// A function's LoggingConfig as stored: LogFormat Text or JSON, the application (TRACE..FATAL) and system (DEBUG,
/// INFO, WARN) levels that apply with JSON, and the log group its logs go to (<c>/aws/lambda/&lt;name&gt;</c> by default).
/// </summary>
[GenerateSerializer, Immutable, Alias("lambda.function-logging")]
public sealed record FunctionLogging(
    [property: Id(0)] string LogFormat,
    [property: Id(1)] string? ApplicationLogLevel,
    [property: Id(2)] string? SystemLogLevel,
    [property: Id(3)] string LogGroup);

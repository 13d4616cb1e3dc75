namespace LambdaCluster.Gateway.Lambda.Model;

/// <summary>
/// Lambda's LoggingConfig: in a configuration (LogFormat and LogGroup always; the levels with JSON) and as
/// Create/UpdateFunctionConfiguration's input (every member optional there).
/// </summary>
public sealed class LoggingConfigDto
{
    public string? LogFormat { get; init; }
    public string? ApplicationLogLevel { get; init; }
    public string? SystemLogLevel { get; init; }
    public string? LogGroup { get; init; }
}

using System.Text.RegularExpressions;
using LambdaCluster.Gateway.Lambda.Model;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Grains.Functions;

namespace LambdaCluster.Gateway.Lambda;

/// <summary>
/// LoggingConfig on Create/UpdateFunctionConfiguration (botocore's LoggingConfig shape): merged into the function's
/// current setting and checked (the enums, the log group's pattern, levels only with JSON).
/// </summary>
public static partial class LoggingConfigs
{
    private static readonly string[] ApplicationLevels = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];
    private static readonly string[] SystemLevels = ["DEBUG", "INFO", "WARN"];

    /// <summary>The setting after <paramref name="input"/> (null: unchanged, so null is returned) is applied to <paramref name="current"/>.</summary>
    public static FunctionLogging? Merge(LoggingConfigDto? input, FunctionLogging current)
    {
        if (input is null)
        {
            return null;
        }

        if (input.LogFormat is { } format && format is not ("JSON" or "Text"))
        {
            throw FunctionValidator.Validation(format, "loggingConfig.logFormat", "Member must satisfy enum value set: [JSON, Text]");
        }

        if (input.ApplicationLogLevel is { } application && !ApplicationLevels.Contains(application))
        {
            throw FunctionValidator.Validation(application, "loggingConfig.applicationLogLevel", "Member must satisfy enum value set: [TRACE, DEBUG, INFO, WARN, ERROR, FATAL]");
        }

        if (input.SystemLogLevel is { } system && !SystemLevels.Contains(system))
        {
            throw FunctionValidator.Validation(system, "loggingConfig.systemLogLevel", "Member must satisfy enum value set: [DEBUG, INFO, WARN]");
        }

        if (input.LogGroup is { } group && (group.Length is < 1 or > 512 || !LogGroupPattern().IsMatch(group)))
        {
            throw FunctionValidator.Validation(group, "loggingConfig.logGroup", group.Length > 512 ? "Member must have length less than or equal to 512" : @"Member must satisfy regular expression pattern: [\.\-_/#A-Za-z0-9]+");
        }

        var logFormat = input.LogFormat ?? current.LogFormat;
        if (logFormat == "Text" && (input.ApplicationLogLevel is not null || input.SystemLogLevel is not null))
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException,
                "Application log level and system log level can only be set when the log format is JSON.");
        }

        return logFormat == "Text"
            ? new FunctionLogging("Text", null, null, input.LogGroup ?? current.LogGroup)
            : new FunctionLogging("JSON", input.ApplicationLogLevel ?? current.ApplicationLogLevel, input.SystemLogLevel ?? current.SystemLogLevel, input.LogGroup ?? current.LogGroup);
    }

    [GeneratedRegex(@"^[\.\-_/#A-Za-z0-9]+$")]
    private static partial Regex LogGroupPattern();
}

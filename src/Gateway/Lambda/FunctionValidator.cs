using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.RegularExpressions;
using LambdaCluster.Grains.Errors;
using LambdaCluster.Runtimes.Catalog;

namespace LambdaCluster.Gateway.Lambda;

/// <summary>
/// The server-side checks Lambda makes on function settings (botocore checks only required members and
/// minimums), with Lambda's error types and wording.
/// </summary>
public static partial class FunctionValidator
{
    private static readonly HashSet<string> ReservedVariables = new(StringComparer.Ordinal)
    {
        "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE",
        "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
    };

    public static void FunctionName([NotNull] string? name)
    {
        if (name is null)
        {
            throw Validation("null", "functionName", "Member must not be null");
        }

        if (name.Length > 64)
        {
            throw Validation(name, "functionName", "Member must have length less than or equal to 64");
        }

        if (!NamePattern().IsMatch(name))
        {
            throw Validation(name, "functionName", "Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+");
        }
    }

    public static void Role([NotNull] string? role)
    {
        if (role is null)
        {
            throw Validation("null", "role", "Member must not be null");
        }

        if (!RolePattern().IsMatch(role))
        {
            throw Validation(role, "role", @"Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+");
        }
    }

    public static void Runtime([NotNull] string? runtime)
    {
        if (runtime is null)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, "Runtime and Handler are mandatory parameters for functions created with deployment packages.");
        }

        if (!RuntimeCatalog.LambdaRuntimeEnum.Contains(runtime))
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException,
                $"Value {runtime} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", RuntimeCatalog.LambdaRuntimeEnum)}] or be a valid ARN");
        }

        if (!RuntimeCatalog.TryGet(runtime, out _))
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException,
                $"The runtime parameter of {runtime} is not supported by this cluster. Supported runtimes: {string.Join(", ", RuntimeCatalog.All.Select(r => r.Identifier))}.");
        }
    }

    public static void Handler([NotNull] string? handler)
    {
        if (handler is null)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, "Runtime and Handler are mandatory parameters for functions created with deployment packages.");
        }

        if (handler.Length > 128)
        {
            throw Validation(handler, "handler", "Member must have length less than or equal to 128");
        }

        if (!HandlerPattern().IsMatch(handler))
        {
            throw Validation(handler, "handler", @"Member must satisfy regular expression pattern: [^\s]+");
        }
    }

    public static void Description(string? description)
    {
        if (description is { Length: > 256 })
        {
            throw Validation(description, "description", "Member must have length less than or equal to 256");
        }
    }

    public static void Timeout(int? timeout)
    {
        if (timeout is < 1)
        {
            throw Validation($"{timeout}", "timeout", "Member must have value greater than or equal to 1");
        }

        if (timeout is > 900)
        {
            throw Validation($"{timeout}", "timeout", "Member must have value less than or equal to 900");
        }
    }

    public static void MemorySize(int? memorySize)
    {
        if (memorySize is < 128)
        {
            throw Validation($"{memorySize}", "memorySize", "Member must have value greater than or equal to 128");
        }

        if (memorySize is > 10240)
        {
            throw Validation($"{memorySize}", "memorySize", "Member must have value less than or equal to 10240");
        }
    }

    public static void EphemeralStorage(int? size)
    {
        if (size is < 512 or > 10240)
        {
            throw Validation($"{size}", "ephemeralStorage.size", size < 512 ? "Member must have value greater than or equal to 512" : "Member must have value less than or equal to 10240");
        }
    }

    /// <summary>
    /// SnapStart as Lambda checks it (https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html): ApplyOn is
    /// PublishedVersions or None; with PublishedVersions, the runtime must be one SnapStart serves here (python3.12 and
    /// later) and ephemeral storage at most 512 MB.
    /// </summary>
    public static void SnapStart(string? applyOn, string runtime, int ephemeralStorageSize)
    {
        if (applyOn is null or "None")
        {
            return;
        }

        if (applyOn != "PublishedVersions")
        {
            throw Validation(applyOn, "snapStart.applyOn", "Member must satisfy enum value set: [PublishedVersions, None]");
        }

        if (!SnapStartRuntimes.Contains(runtime))
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, $"{runtime} is not supported for SnapStart enabled functions.");
        }

        if (ephemeralStorageSize > 512)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException, "SnapStart is not supported for functions with ephemeral storage greater than 512 MB.");
        }
    }

    /// <summary>The runtimes whose versions SnapStart serves here (Lambda's Python SnapStart: 3.12 and later).</summary>
    private static readonly HashSet<string> SnapStartRuntimes = new(StringComparer.Ordinal) { "python3.12", "python3.13", "python3.14" };

    public static void Variables(IReadOnlyDictionary<string, string>? variables)
    {
        if (variables is null)
        {
            return;
        }

        foreach (var key in variables.Keys)
        {
            if (!VariableNamePattern().IsMatch(key))
            {
                throw Validation(key, "environment.variables", "Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+");
            }
        }

        var reserved = variables.Keys.Where(ReservedVariables.Contains).ToList();
        if (reserved.Count > 0)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException,
                $"Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: {string.Join(",", reserved)}");
        }

        var measured = JsonSerializer.Serialize(variables);
        if (System.Text.Encoding.UTF8.GetByteCount(measured) > 4096)
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException,
                $"Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: {measured}");
        }
    }

    public static void Architectures(List<string>? architectures)
    {
        if (architectures is null)
        {
            return;
        }

        if (architectures.Count != 1)
        {
            throw Validation($"[{string.Join(", ", architectures)}]", "architectures", "Member must have length less than or equal to 1");
        }

        if (architectures[0] is not ("x86_64" or "arm64"))
        {
            throw Validation($"[{string.Join(", ", architectures)}]", "architectures", "Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]");
        }

        if (architectures[0] != "x86_64")
        {
            throw new LambdaServiceException(LambdaErrorType.InvalidParameterValueException,
                $"Architecture {architectures[0]} is not supported by this cluster; its nodes run x86_64.");
        }
    }

    /// <summary>Lambda's ValidationException for one failed model constraint of <paramref name="member"/> (camelCase).</summary>
    internal static LambdaServiceException Validation(string value, string member, string constraint) =>
        new(LambdaErrorType.ValidationException, $"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {constraint}");

    [GeneratedRegex("^[a-zA-Z0-9-_]+$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+$")]
    private static partial Regex RolePattern();

    [GeneratedRegex(@"^[^\s]+$")]
    private static partial Regex HandlerPattern();

    [GeneratedRegex("^[a-zA-Z]([a-zA-Z0-9_])+$")]
    private static partial Regex VariableNamePattern();
}

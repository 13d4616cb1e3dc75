using System.Globalization;
using LambdaCluster.Runtimes.Catalog;

namespace LambdaCluster.Runtimes.Launch;

/// <summary>
/// Builds a function process's environment from nothing: Lambda's reserved variables, its defaults and
/// the function's own variables. The node's own environment is never inherited (it would leak the
/// node's configuration and slow interpreters down).
/// </summary>
public static class ProcessEnvironmentBuilder
{
    /// <summary>
    /// The variables for <paramref name="request"/>, whose <see cref="LaunchRequest.CodeDirectory"/> and
    /// <see cref="LaunchRequest.LayersDirectory"/> are as the process sees them (null layers: /opt), as is <paramref name="runtimeDirectory"/>
    /// (LAMBDA_RUNTIME_DIR, where the runtime client lives).
    /// </summary>
    public static Dictionary<string, string> Build(LaunchRequest request, string runtimeDirectory)
    {
        var spec = request.Spec;
        // Layers sit where Lambda mounts them (/opt) in the sandbox; unconfined, the merged layer folder takes /opt's
        // place on every search path.
        var opt = request.LayersDirectory ?? "/opt";
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = $"/usr/local/bin:/usr/bin/:/bin:{opt}/bin",
            ["LANG"] = "C.UTF-8",
            ["TZ"] = ":UTC",
            ["LD_LIBRARY_PATH"] = $"/lib64:/usr/lib64:{request.CodeDirectory}:{request.CodeDirectory}/lib:{opt}/lib",
        };

        // A container image's ENV comes next (its PATH, say), then the function's own variables (they may override
        // both) and last the reserved ones (which they may not).
        foreach (var entry in request.Image?.Config.Env ?? [])
        {
            if (entry.IndexOf('=', StringComparison.Ordinal) is > 0 and var equals)
            {
                variables[entry[..equals]] = entry[(equals + 1)..];
            }
        }

        foreach (var (key, value) in spec.Variables)
        {
            variables[key] = value;
        }

        variables["_HANDLER"] = spec.Image is { } image && request.Image is { } root ? Images.ImageProcess.Handler(image, root.Config) : spec.Handler;
        if (request.Credentials is { } credentials)
        {
            variables["AWS_ACCESS_KEY_ID"] = credentials.AccessKeyId;
            variables["AWS_SECRET_ACCESS_KEY"] = credentials.SecretAccessKey;
            variables["AWS_SESSION_TOKEN"] = credentials.SessionToken;
        }

        variables["AWS_REGION"] = spec.Region;
        variables["AWS_DEFAULT_REGION"] = spec.Region;
        variables["AWS_LAMBDA_FUNCTION_NAME"] = spec.FunctionName;
        variables["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = spec.MemorySize.ToString(CultureInfo.InvariantCulture);
        variables["AWS_LAMBDA_FUNCTION_VERSION"] = spec.Version;
        variables["AWS_LAMBDA_INITIALIZATION_TYPE"] = request.InitializationType;
        if (request.InitializationType != "snap-start")
        {
            // Not set in SnapStart functions (the Lambda guide's snapstart-monitoring): a snapshot serves many environments, each with its own stream.
            variables["AWS_LAMBDA_LOG_GROUP_NAME"] = spec.LogGroup;
            variables["AWS_LAMBDA_LOG_STREAM_NAME"] = request.LogStreamName;
        }

        if (spec.JsonLogs)
        {
            // What AWS's runtime clients read for LoggingConfig (the Lambda guide's monitoring-cloudwatchlogs-logformat).
            variables["AWS_LAMBDA_LOG_FORMAT"] = "JSON";
            variables["AWS_LAMBDA_LOG_LEVEL"] = spec.ApplicationLogLevel ?? "INFO";
        }

        variables["AWS_LAMBDA_RUNTIME_API"] = request.RuntimeApiAddress;
        variables["LAMBDA_TASK_ROOT"] = request.CodeDirectory;
        variables["LAMBDA_RUNTIME_DIR"] = runtimeDirectory;
        if (request.Runtime.ExecutionEnv is { } executionEnv)
        {
            variables["AWS_EXECUTION_ENV"] = executionEnv;
        }

        switch (request.Runtime.Family)
        {
            case RuntimeFamily.NodeJs:
                variables.TryAdd("NODE_PATH", $"{opt}/nodejs/node{request.Runtime.LanguageVersion}/node_modules:{opt}/nodejs/node_modules:{runtimeDirectory}/node_modules:{runtimeDirectory}:{request.CodeDirectory}");
                break;
            case RuntimeFamily.Python:
                variables.TryAdd("PYTHONPATH", $"{opt}/python/lib/python{request.Runtime.LanguageVersion}/site-packages:{opt}/python:{runtimeDirectory}");
                variables.TryAdd("LC_CTYPE", "C.UTF-8");
                break;
        }

        if (request.PrestartSlot is not null)
        {
            variables[Prestart.ProcessEnviron.Marker] = Prestart.ProcessEnviron.MarkerValue; // the runtime client waits for its function (Prestart/PrestartedProcess)
        }

        return variables;
    }

    /// <summary>The host folder of <paramref name="runtime"/>'s runtime client under <paramref name="runtimeClientsDirectory"/>.</summary>
    public static string RuntimeDirectory(RuntimeDescriptor runtime, string runtimeClientsDirectory) => runtime.Family switch
    {
        RuntimeFamily.NodeJs => Path.Combine(runtimeClientsDirectory, "nodejs"),
        RuntimeFamily.Python => Path.Combine(runtimeClientsDirectory, "python"),
        _ => runtimeClientsDirectory,
    };
}

namespace LambdaCluster.Runtimes.Catalog;

/// <summary>One supported runtime identifier and the interpreter that serves it on this node.</summary>
public sealed record RuntimeDescriptor(string Identifier, RuntimeFamily Family, string LanguageVersion)
{
    /// <summary>Value of AWS_EXECUTION_ENV (absent for OS-only runtimes, as on Lambda).</summary>
    public string? ExecutionEnv => Family == RuntimeFamily.Provided ? null : $"AWS_Lambda_{Identifier}";

    /// <summary>The "Runtime Version" printed in INIT_START, e.g. <c>python:3.13.v1</c>.</summary>
    public string RuntimeVersion => Family switch
    {
        RuntimeFamily.NodeJs => $"nodejs:{LanguageVersion}.v1",
        RuntimeFamily.Python => $"python:{LanguageVersion}.v1",
        _ => $"provided:{LanguageVersion}.v1",
    };
}

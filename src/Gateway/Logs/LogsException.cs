namespace LambdaCluster.Gateway.Logs;

/// <summary>A CloudWatch Logs error (its __type code and message), answered with status 400.</summary>
public sealed class LogsException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

namespace LambdaCluster.Gateway.Streams;

/// <summary>A Kinesis error (its __type and message), answered with status 400.</summary>
public sealed class KinesisException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

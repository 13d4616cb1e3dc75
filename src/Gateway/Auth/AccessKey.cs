namespace LambdaCluster.Gateway.Auth;

public sealed class AccessKey
{
    public string AccessKeyId { get; set; } = "";

    public string SecretAccessKey { get; set; } = "";
}

namespace LambdaCluster.Runtimes.Credentials;

/// <summary>
/// Temporary credentials of one environment, handed to the function as Lambda hands its execution role's
/// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN): an ASIA access key id, its secret, and the session
/// token that names the function and when they expire.
/// </summary>
public sealed record EnvironmentCredentials(string AccessKeyId, string SecretAccessKey, string SessionToken, DateTimeOffset Expiration);

namespace LambdaCluster.Gateway.Auth;

/// <summary>Which access keys the gateway accepts (section <c>Auth</c>).</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>
    /// Accepted key pairs. The embedded default accepts the documented development pair test/test, as other
    /// local AWS emulators do; a real deployment replaces it.
    /// </summary>
    public List<AccessKey> Credentials { get; set; } = [];
}

namespace LambdaCluster.Tests.EndToEnd;

/// <summary>
/// Three signing profiles for the code signing tests, keys made with openssl as the README shows: <see cref="Trusted"/>
/// (ECDSA P-384), <see cref="Revoked"/> (RSA, revoked in 2020) and <see cref="Expired"/> (ECDSA, valid until 2020).
/// </summary>
public sealed class SigningKeys
{
    private SigningKeys(IReadOnlyDictionary<string, string> settings, Profile trusted, Profile revoked, Profile expired) =>
        (Settings, Trusted, Revoked, Expired) = (settings, trusted, revoked, expired);

    public sealed record Profile(string VersionArn, string PrivateKey);

    /// <summary>The node's CodeSigning:Profiles settings.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    public Profile Trusted { get; }

    public Profile Revoked { get; }

    public Profile Expired { get; }

    public static async Task<SigningKeys> CreateAsync(string directory)
    {
        var trusted = await KeyAsync(directory, "Trusted", ["ecparam", "-name", "secp384r1", "-genkey", "-noout"]);
        var revoked = await KeyAsync(directory, "Revoked", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]);
        var expired = await KeyAsync(directory, "Expired", ["ecparam", "-name", "prime256v1", "-genkey", "-noout"]);
        var settings = new Dictionary<string, string>();
        foreach (var (profile, i) in new[] { trusted, revoked, expired }.Select((p, i) => (p, i)))
        {
            settings[$"CodeSigning:Profiles:{i}:VersionArn"] = profile.VersionArn;
            settings[$"CodeSigning:Profiles:{i}:PublicKeyFile"] = Path.ChangeExtension(profile.PrivateKey, ".pub");
        }

        settings["CodeSigning:Profiles:1:RevokedAt"] = "2020-01-01T00:00:00Z";
        settings["CodeSigning:Profiles:2:ValidUntil"] = "2020-01-01T00:00:00Z";
        return new SigningKeys(settings, trusted, revoked, expired);
    }

    private static async Task<Profile> KeyAsync(string directory, string name, string[] generate)
    {
        var key = Path.Combine(directory, $"{name}.key");
        var made = await Tools.RunAsync("openssl", [.. generate, "-out", key]);
        if (made.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl: {made.Stderr}");
        }

        var pub = await Tools.RunAsync("openssl", ["pkey", "-in", key, "-pubout", "-out", Path.ChangeExtension(key, ".pub")]);
        if (pub.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl: {pub.Stderr}");
        }

        return new Profile($"arn:aws:signer:us-east-1:000000000000:/signing-profiles/{name}Profile/v1{name.ToLowerInvariant()}", key);
    }
}

namespace LambdaCluster.Grains.Storage;

/// <summary>
/// The key that encrypts grain state at rest (section <c>Secrets</c>): function definitions with their
/// environment variables, aliases, layers, concurrency settings.
/// </summary>
public sealed class StateEncryptionOptions
{
    public const string Section = "Secrets";

    /// <summary>
    /// Base64 of a 32-byte AES key. Unset: the embedded default generates one in <c>{DataDirectory}/keys/state.key</c>
    /// (mode 0600); cluster mode generates one once and keeps it in Redis, which protects state copies and
    /// backups but not someone who can read that Redis: set this from a secret store for that.
    /// </summary>
    public string? Key { get; set; }
}

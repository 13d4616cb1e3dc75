using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using LambdaCluster.Grains.Storage;
using LambdaCluster.Runtimes.Credentials;
using LambdaCluster.Runtimes.Invocation;

namespace LambdaCluster.Grains.Credentials;

/// <summary>
/// Temporary credentials for functions, checkable by any node without storage: the session token carries the function
/// ARN and the expiry, sealed with a key derived (HKDF) from the cluster's state key, which every node has; the secret
/// access key is derived from the access key id and the token with the same key. A node's own configured keys are never
/// handed out. Tokens are valid for <see cref="Lifetime"/>.
/// <para>Token: base64url(version 1 | expiry, unix seconds, 8 bytes big-endian | access key id, 20 ASCII | function ARN, UTF-8) "." base64url(HMAC-SHA256).</para>
/// </summary>
public sealed class FunctionCredentials(StateKey stateKey, TimeProvider time) : ICredentialIssuer
{
    /// <summary>How long issued credentials stay valid (Lambda's role sessions last hours; an environment lives less).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private const byte Version = 1;
    private const int AccessKeyIdLength = 20;
    private const string AccessKeyPrefix = "ASIA";
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private readonly Lazy<byte[]> _key = new(() => HKDF.DeriveKey(HashAlgorithmName.SHA256, stateKey.Value, 32, info: "lambda-cluster function credentials v1"u8.ToArray()));

    public EnvironmentCredentials Issue(EnvironmentSpec spec)
    {
        var accessKeyId = AccessKeyPrefix + RandomNumberGenerator.GetString(Alphabet, AccessKeyIdLength - AccessKeyPrefix.Length);
        var expiration = time.GetUtcNow().Add(Lifetime);
        var arn = Encoding.UTF8.GetBytes(spec.FunctionArn);
        var payload = new byte[1 + 8 + AccessKeyIdLength + arn.Length];
        payload[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(1), expiration.ToUnixTimeSeconds());
        Encoding.ASCII.GetBytes(accessKeyId, payload.AsSpan(9));
        arn.CopyTo(payload.AsSpan(9 + AccessKeyIdLength));
        var token = $"{Base64Url(payload)}.{Base64Url(HMACSHA256.HashData(_key.Value, payload))}";
        return new EnvironmentCredentials(accessKeyId, Secret(payload), token, DateTimeOffset.FromUnixTimeSeconds(expiration.ToUnixTimeSeconds()));
    }

    /// <summary>
    /// The secret access key and the function ARN of a session, when <paramref name="sessionToken"/> is one this cluster
    /// issued for <paramref name="accessKeyId"/> and has not expired; null otherwise (forged, altered, expired, another key's).
    /// </summary>
    public (string SecretAccessKey, string FunctionArn)? Validate(string accessKeyId, string sessionToken)
    {
        if (!accessKeyId.StartsWith(AccessKeyPrefix, StringComparison.Ordinal) || accessKeyId.Length != AccessKeyIdLength || sessionToken.Length > 4096)
        {
            return null;
        }

        var dot = sessionToken.IndexOf('.');
        if (dot < 0 || !TryBase64Url(sessionToken[..dot], out var payload) || !TryBase64Url(sessionToken[(dot + 1)..], out var mac))
        {
            return null;
        }

        if (payload.Length <= 9 + AccessKeyIdLength || payload[0] != Version
            || !CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(_key.Value, payload))
            || Encoding.ASCII.GetString(payload, 9, AccessKeyIdLength) != accessKeyId
            || DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(1))) <= time.GetUtcNow())
        {
            return null;
        }

        return (Secret(payload), Encoding.UTF8.GetString(payload, 9 + AccessKeyIdLength, payload.Length - 9 - AccessKeyIdLength));
    }

    /// <summary>The session's secret: a MAC of its payload under another label, so neither token nor key id reveals it.</summary>
    private string Secret(byte[] payload) => Convert.ToBase64String(HMACSHA256.HashData(_key.Value, (byte[])[.. "secret:"u8, .. payload]))[..40];

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryBase64Url(string text, out byte[] bytes)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        bytes = new byte[padded.Length];
        if (Convert.TryFromBase64String(padded, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }

        return false;
    }
}

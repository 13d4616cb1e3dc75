using System.Security.Cryptography;

namespace LambdaCluster.Runtimes.Code;

/// <summary>The two spellings of a package's SHA-256: hex for storage keys, base64 for Lambda's CodeSha256.</summary>
public readonly record struct CodeHash(string Hex, string Base64)
{
    public static CodeHash Of(ReadOnlySpan<byte> bytes)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(bytes, digest);
        return new CodeHash(Convert.ToHexStringLower(digest), Convert.ToBase64String(digest));
    }

    public static bool IsValidHex(string value) =>
        value.Length == 64 && value.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}

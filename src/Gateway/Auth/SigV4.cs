using System.Security.Cryptography;
using System.Text;

namespace LambdaCluster.Gateway.Auth;

/// <summary>
/// AWS Signature Version 4, the one implementation both sides use: the gateway to verify requests and
/// our own clients (tests, load tool) to sign them. Canonicalisation follows botocore: the path as sent
/// (already percent-encoded) is encoded once more, query pairs are RFC 3986-encoded and sorted, and only
/// the headers the client listed are signed.
/// </summary>
public static class SigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>
    /// The canonical request. <paramref name="normalizePath"/> false is S3's way: the path exactly as sent (botocore's
    /// S3SigV4Auth neither normalizes it nor encodes it again).
    /// </summary>
    public static string CanonicalRequest(string method, string rawPath, string rawQuery, IReadOnlyList<(string Name, string Value)> signedHeaders, string payloadHash, bool normalizePath = true)
    {
        var builder = new StringBuilder();
        builder.Append(method.ToUpperInvariant()).Append('\n');
        builder.Append(normalizePath ? CanonicalUri(rawPath) : rawPath.Length == 0 ? "/" : rawPath).Append('\n');
        builder.Append(CanonicalQuery(rawQuery)).Append('\n');
        foreach (var (name, value) in signedHeaders)
        {
            builder.Append(name).Append(':').Append(CollapseWhitespace(value)).Append('\n');
        }

        builder.Append('\n');
        builder.Append(string.Join(';', signedHeaders.Select(h => h.Name))).Append('\n');
        builder.Append(payloadHash);
        return builder.ToString();
    }

    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

    public static string Signature(string secretAccessKey, string date, string region, string service, string stringToSign) =>
        Signature(SigningKey(secretAccessKey, date, region, service), stringToSign);

    /// <summary>The key derived for one day, region and service: the same for every request of that day.</summary>
    public static byte[] SigningKey(string secretAccessKey, string date, string region, string service)
    {
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        return Hmac(key, "aws4_request");
    }

    public static string Signature(byte[] signingKey, string stringToSign) => Hex(Hmac(signingKey, stringToSign));

    public static string PayloadHash(ReadOnlySpan<byte> body) => Hex(SHA256.HashData(body));

    /// <summary>
    /// The path as sent, normalized as SigV4 does for every service but S3 (dot segments resolved, repeated slashes
    /// folded: the test suite's normalize-path cases), then percent-encoded (<c>quote(path, safe='/~')</c>).
    /// </summary>
    public static string CanonicalUri(string rawPath)
    {
        if (string.IsNullOrEmpty(rawPath))
        {
            return "/";
        }

        return Encode(NormalizePath(rawPath), keepSlash: true);
    }

    /// <summary>RFC 3986's remove_dot_segments over the path's non-empty segments, keeping a leading and a trailing slash.</summary>
    private static string NormalizePath(string path)
    {
        if (!path.Contains("/.", StringComparison.Ordinal) && !path.Contains("//", StringComparison.Ordinal))
        {
            return path; // the common case: nothing to resolve
        }

        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }

                continue;
            }

            segments.Add(segment);
        }

        var joined = string.Join('/', segments);
        var trailing = path.EndsWith('/') && segments.Count > 0 ? "/" : "";
        return (path.StartsWith('/') ? "/" : "") + joined + trailing;
    }

    public static string CanonicalQuery(string rawQuery)
    {
        var query = rawQuery.StartsWith('?') ? rawQuery[1..] : rawQuery;
        if (query.Length == 0)
        {
            return string.Empty;
        }

        return string.Join('&', query
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var equals = pair.IndexOf('=');
                var key = Uri.UnescapeDataString((equals < 0 ? pair : pair[..equals]).Replace('+', ' '));
                var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
                return (Key: Encode(key, keepSlash: false), Value: Encode(value, keepSlash: false));
            })
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={p.Value}"));
    }

    /// <summary>RFC 3986 percent-encoding of UTF-8 bytes, keeping only unreserved characters (and '/' when asked).</summary>
    public static string Encode(string value, bool keepSlash)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~' || (keepSlash && c == '/'))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(((int)b).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static string CollapseWhitespace(string value)
    {
        var trimmed = value.Trim();
        var builder = new StringBuilder(trimmed.Length);
        var previousSpace = false;
        foreach (var c in trimmed)
        {
            var space = c is ' ' or '\t';
            if (!(space && previousSpace))
            {
                builder.Append(space ? ' ' : c);
            }

            previousSpace = space;
        }

        return builder.ToString();
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}

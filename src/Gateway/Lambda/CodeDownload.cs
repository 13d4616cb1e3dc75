using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LambdaCluster.Runtimes.Code;
using Microsoft.AspNetCore.Http;

namespace LambdaCluster.Gateway.Lambda;

/// <summary>
/// GetFunction's Code.Location: like Lambda's pre-signed S3 URL, a link that downloads the package for
/// ten minutes without further credentials, signed with a key that lives only in this process.
/// </summary>
public sealed class CodeDownload(ICodeStore store, TimeProvider time)
{
    public const string PathPrefix = "/_lambda/code";
    private static readonly TimeSpan Validity = TimeSpan.FromMinutes(10);
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public string Url(HttpRequest request, string sha256Hex)
    {
        var expires = time.GetUtcNow().Add(Validity).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"{request.Scheme}://{request.Host}{PathPrefix}/{sha256Hex}?Expires={expires}&Signature={Sign(sha256Hex, expires)}";
    }

    public async Task ServeAsync(HttpContext http, string sha256Hex)
    {
        var expires = http.Request.Query["Expires"].ToString();
        var signature = http.Request.Query["Signature"].ToString();
        var valid = CodeHash.IsValidHex(sha256Hex)
            && long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt)
            && expiresAt >= time.GetUtcNow().ToUnixTimeSeconds()
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(sha256Hex, expires)), Encoding.ASCII.GetBytes(signature));
        var zip = valid ? await store.GetAsync(sha256Hex, http.RequestAborted) : null;
        if (zip is null)
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            await http.Response.WriteAsync("<Error><Code>AccessDenied</Code><Message>Request has expired or is not valid</Message></Error>");
            return;
        }

        http.Response.ContentType = "application/zip";
        http.Response.ContentLength = zip.Length;
        await http.Response.Body.WriteAsync(zip);
    }

    private string Sign(string sha256Hex, string expires) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{sha256Hex}\n{expires}")));
}

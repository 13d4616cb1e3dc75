using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LambdaCluster.Grains.Credentials;
using LambdaCluster.Runtimes.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace LambdaCluster.Gateway.Auth;

/// <summary>
/// Checks a request's SigV4 signature against the configured keys, or against a function's temporary credentials (an ASIA
/// key with the X-Amz-Security-Token its environment was given; <see cref="FunctionCredentials"/>), answering with AWS's
/// error codes and messages.
/// </summary>
public sealed class SigV4Verifier(IOptionsMonitor<AuthOptions> auth, IOptions<NodeOptions> node, FunctionCredentials sessions, TimeProvider time)
{
    private static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(15);

    // Derived keys by (secret, date, region, service): four HMACs saved per request. Bounded: keys of other
    // days are dropped when the cache grows past a handful of entries per configured key.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Secret, string Date, string Region, string Service), byte[]> _signingKeys = new();

    /// <summary>Null when the request is authentic; otherwise the AWS error code and message to answer with.</summary>
    public (string Code, string Message)? Verify(HttpRequest request, ReadOnlySpan<byte> body, string service)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(authorization))
        {
            return ("MissingAuthenticationTokenException", "Missing Authentication Token");
        }

        if (!TryParse(authorization, out var credential, out var signedHeaderNames, out var signature))
        {
            return ("IncompleteSignatureException", $"Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization={authorization}");
        }

        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request")
        {
            return ("IncompleteSignatureException", $"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{credential}'");
        }

        var secret = SecretOf(scope[0], request.Headers["X-Amz-Security-Token"].ToString());
        if (secret is null)
        {
            return ("UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        if (scope[2] != node.Value.Region)
        {
            return ("InvalidSignatureException", $"Credential should be scoped to a valid region, not '{scope[2]}'. ");
        }

        if (scope[3] != service)
        {
            return ("InvalidSignatureException", $"Credential should be scoped to correct service: '{service}'. ");
        }

        var amzDate = request.Headers["X-Amz-Date"].ToString();
        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt))
        {
            return ("IncompleteSignatureException", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }

        var now = time.GetUtcNow();
        if ((now - signedAt).Duration() > MaxSkew)
        {
            return ("InvalidSignatureException", string.Create(CultureInfo.InvariantCulture,
                $"Signature expired: {amzDate} is now earlier than {now.Subtract(MaxSkew):yyyyMMdd'T'HHmmss'Z'} ({now:yyyyMMdd'T'HHmmss'Z'} - 15 min.)"));
        }

        if (scope[1] != amzDate[..8])
        {
            return ("InvalidSignatureException", $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scope[1]}' != '{amzDate[..8]}', from '{amzDate}'.");
        }

        var headers = signedHeaderNames.Select(name => (name, string.Join(',', request.Headers[name].Select(v => v ?? string.Empty)))).ToList();
        var payloadHash = request.Headers["X-Amz-Content-SHA256"].ToString();
        if (string.IsNullOrEmpty(payloadHash))
        {
            payloadHash = SigV4.PayloadHash(body);
        }

        var rawTarget = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value ?? "/";
        var queryStart = rawTarget.IndexOf('?');
        var rawPath = queryStart < 0 ? rawTarget : rawTarget[..queryStart];
        var rawQuery = queryStart < 0 ? string.Empty : rawTarget[(queryStart + 1)..];
        var canonical = SigV4.CanonicalRequest(request.Method, rawPath, rawQuery, headers, payloadHash);
        var stringToSign = SigV4.StringToSign(amzDate, string.Join('/', scope[1..]), canonical);
        var expected = SigV4.Signature(SigningKey(secret, scope[1], scope[2], scope[3]), stringToSign);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature))
            ? null
            : ("InvalidSignatureException", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
    }

    /// <summary>The secret of a configured key, or of a function session whose token is valid; null for anything else.</summary>
    private string? SecretOf(string accessKeyId, string sessionToken)
    {
        if (sessionToken.Length > 0)
        {
            return sessions.Validate(accessKeyId, sessionToken)?.SecretAccessKey;
        }

        return auth.CurrentValue.Credentials.FirstOrDefault(c => c.AccessKeyId == accessKeyId)?.SecretAccessKey;
    }

    private byte[] SigningKey(string secret, string date, string region, string service)
    {
        if (_signingKeys.TryGetValue((secret, date, region, service), out var cached))
        {
            return cached;
        }

        if (_signingKeys.Count > 64)
        {
            _signingKeys.Clear();
        }

        return _signingKeys[(secret, date, region, service)] = SigV4.SigningKey(secret, date, region, service);
    }

    /// <summary>The function whose temporary credentials signed a request that passed <see cref="Verify"/>, or null for a configured key.</summary>
    public string? SessionFunctionOf(HttpRequest request)
    {
        var token = request.Headers["X-Amz-Security-Token"].ToString();
        return token.Length > 0 && AccessKeyOf(request) is { } accessKeyId ? sessions.Validate(accessKeyId, token)?.FunctionArn : null;
    }

    /// <summary>The access key id of a request that passed <see cref="Verify"/>.</summary>
    public static string? AccessKeyOf(HttpRequest request) =>
        TryParse(request.Headers.Authorization.ToString(), out var credential, out _, out _) ? credential.Split('/')[0] : null;

    private static bool TryParse(string authorization, out string credential, out string[] signedHeaders, out string signature)
    {
        credential = string.Empty;
        signedHeaders = [];
        signature = string.Empty;
        if (!authorization.StartsWith(SigV4.Algorithm + " ", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var part in authorization[(SigV4.Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=');
            if (equals < 0)
            {
                continue;
            }

            var value = part[(equals + 1)..];
            switch (part[..equals])
            {
                case "Credential": credential = value; break;
                case "SignedHeaders": signedHeaders = value.Split(';'); break;
                case "Signature": signature = value; break;
            }
        }

        return credential.Length > 0 && signedHeaders.Length > 0 && signature.Length > 0;
    }
}

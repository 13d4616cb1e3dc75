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

    /// <summary>
    /// Null when the request is authentic; otherwise the AWS error code and message to answer with. The signature is in
    /// the Authorization header, or (a presigned URL, https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html)
    /// in the query's X-Amz-* parameters, valid for X-Amz-Expires seconds (at most 7 days) and over an unsigned payload.
    /// S3's canonical URI is the path as sent; every other service's is normalized and encoded again (botocore's S3SigV4Auth).
    /// </summary>
    public (string Code, string Message)? Verify(HttpRequest request, ReadOnlySpan<byte> body, string service)
    {
        var rawTarget = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value ?? "/";
        var queryStart = rawTarget.IndexOf('?');
        var rawPath = queryStart < 0 ? rawTarget : rawTarget[..queryStart];
        var rawQuery = queryStart < 0 ? string.Empty : rawTarget[(queryStart + 1)..];
        var authorization = request.Headers.Authorization.ToString();
        string credential, signature, amzDate, sessionToken, payloadHash;
        string[] signedHeaderNames;
        TimeSpan? expires = null;
        if (string.IsNullOrEmpty(authorization) && request.Query.ContainsKey("X-Amz-Signature") && service == "s3")
        {
            var query = request.Query;
            if (query["X-Amz-Algorithm"].ToString() != SigV4.Algorithm || !int.TryParse(query["X-Amz-Expires"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds is < 1 or > 604800)
            {
                return ("AuthorizationQueryParametersError", "X-Amz-Algorithm must be AWS4-HMAC-SHA256 and X-Amz-Expires a number of seconds from 1 to 604800.");
            }

            (credential, signature, amzDate, sessionToken) = (query["X-Amz-Credential"].ToString(), query["X-Amz-Signature"].ToString(), query["X-Amz-Date"].ToString(), query["X-Amz-Security-Token"].ToString());
            signedHeaderNames = query["X-Amz-SignedHeaders"].ToString().Split(';', StringSplitOptions.RemoveEmptyEntries);
            payloadHash = "UNSIGNED-PAYLOAD";
            expires = TimeSpan.FromSeconds(seconds);
            rawQuery = string.Join('&', rawQuery.Split('&').Where(pair => !pair.StartsWith("X-Amz-Signature=", StringComparison.Ordinal)));
        }
        else
        {
            if (string.IsNullOrEmpty(authorization))
            {
                return ("MissingAuthenticationTokenException", "Missing Authentication Token");
            }

            if (!TryParse(authorization, out credential, out signedHeaderNames, out signature))
            {
                return ("IncompleteSignatureException", $"Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization={authorization}");
            }

            amzDate = request.Headers["X-Amz-Date"].ToString();
            sessionToken = request.Headers["X-Amz-Security-Token"].ToString();
            // The header is signed but says nothing about the body unless checked: a replayed request could carry another.
            var actual = SigV4.PayloadHash(body);
            payloadHash = request.Headers["X-Amz-Content-SHA256"].ToString();
            if (string.IsNullOrEmpty(payloadHash))
            {
                payloadHash = actual;
            }
            else if (payloadHash.StartsWith("STREAMING-", StringComparison.Ordinal))
            {
                return ("NotImplemented", "Chunked (aws-chunked) payloads are not supported by this endpoint; send the body whole.");
            }
            else if (!(payloadHash == "UNSIGNED-PAYLOAD" && service == "s3") && payloadHash != actual)
            {
                return ("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.");
            }
        }

        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request")
        {
            return ("IncompleteSignatureException", $"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{credential}'");
        }

        var secret = SecretOf(scope[0], sessionToken);
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

        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt))
        {
            return ("IncompleteSignatureException", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }

        var now = time.GetUtcNow();
        if (expires is { } validFor ? now > signedAt + validFor || signedAt - now > MaxSkew : (now - signedAt).Duration() > MaxSkew)
        {
            return expires is null
                ? ("InvalidSignatureException", string.Create(CultureInfo.InvariantCulture, $"Signature expired: {amzDate} is now earlier than {now.Subtract(MaxSkew):yyyyMMdd'T'HHmmss'Z'} ({now:yyyyMMdd'T'HHmmss'Z'} - 15 min.)"))
                : ("AccessDenied", "Request has expired");
        }

        if (scope[1] != amzDate[..8])
        {
            return ("InvalidSignatureException", $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scope[1]}' != '{amzDate[..8]}', from '{amzDate}'.");
        }

        var headers = signedHeaderNames.Select(name => (name, string.Join(',', request.Headers[name].Select(v => v ?? string.Empty)))).ToList();
        var canonical = SigV4.CanonicalRequest(request.Method, rawPath, rawQuery, headers, payloadHash, normalizePath: service != "s3");
        var stringToSign = SigV4.StringToSign(amzDate, string.Join('/', scope[1..]), canonical);
        var expected = SigV4.Signature(SigningKey(secret, scope[1], scope[2], scope[3]), stringToSign);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature))
            ? null
            : ("InvalidSignatureException", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
    }

    /// <summary>
    /// Null when an S3 presigned URL of the older kind is authentic: the query's AWSAccessKeyId, Expires (seconds since
    /// 1970) and Signature, an HMAC-SHA1 of the method, Content-MD5, Content-Type, Expires, the x-amz-* values and the
    /// resource (https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html#RESTAuthenticationQueryStringAuth).
    /// The aws CLI's <c>s3 presign</c> and boto3's generate_presigned_url make these unless told to use SigV4.
    /// </summary>
    public (string Code, string Message)? VerifyS3QueryV2(HttpRequest request)
    {
        var query = request.Query;
        var secret = SecretOf(query["AWSAccessKeyId"].ToString(), query["x-amz-security-token"].ToString());
        if (secret is null)
        {
            return ("UnrecognizedClientException", "The AWS Access Key Id you provided does not exist in our records.");
        }

        if (!long.TryParse(query["Expires"], NumberStyles.None, CultureInfo.InvariantCulture, out var expires) || time.GetUtcNow().ToUnixTimeSeconds() > expires)
        {
            return ("AccessDenied", "Request has expired");
        }

        var amzHeaders = query.Where(q => q.Key.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase)).Select(q => (Name: q.Key.ToLowerInvariant(), Value: q.Value.ToString()))
            .Concat(request.Headers.Where(h => h.Key.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase)).Select(h => (Name: h.Key.ToLowerInvariant(), Value: string.Join(',', h.Value.Select(v => v?.Trim())))))
            .OrderBy(h => h.Name, StringComparer.Ordinal)
            .Select(h => $"{h.Name}:{h.Value}\n");
        var rawTarget = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value ?? "/";
        var resource = rawTarget.Split('?')[0];
        // Compared ignoring case, as the object API reads the query: a parameter the signer left out fails the signature.
        var subresources = query.Where(q => S3SubResources.Contains(q.Key)).OrderBy(q => q.Key, StringComparer.Ordinal)
            .Select(q => q.Value.ToString().Length == 0 ? q.Key : $"{q.Key}={q.Value}").ToList();
        if (subresources.Count > 0)
        {
            resource += "?" + string.Join('&', subresources);
        }

        var stringToSign = $"{request.Method}\n{request.Headers["Content-MD5"]}\n{request.ContentType}\n{query["Expires"]}\n{string.Concat(amzHeaders)}{resource}";
        var expected = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(stringToSign)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(query["Signature"].ToString()))
            ? null
            : ("InvalidSignatureException", "The request signature we calculated does not match the signature you provided. Check your key and signing method.");
    }

    /// <summary>The query parameters an S3 signature of the older kind covers (botocore's HmacV1Auth.QSAOfInterest).</summary>
    private static readonly HashSet<string> S3SubResources = new(StringComparer.OrdinalIgnoreCase)
    {
        "accelerate", "acl", "cors", "defaultObjectAcl", "location", "logging", "partNumber", "policy", "requestPayment", "torrent", "versioning",
        "versionId", "versions", "website", "uploads", "uploadId", "response-content-type", "response-content-language", "response-expires",
        "response-cache-control", "response-content-disposition", "response-content-encoding", "delete", "lifecycle", "tagging", "restore",
        "storageClass", "notification", "replication", "analytics", "metrics", "inventory", "select", "select-type", "object-lock",
    };

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
        // The token the signature was checked with: the header's for a signed request, the query's for a presigned URL.
        var token = request.Headers.Authorization.Count > 0 ? request.Headers["X-Amz-Security-Token"].ToString() : request.Query["X-Amz-Security-Token"].ToString();

        return token.Length > 0 && AccessKeyOf(request) is { } accessKeyId ? sessions.Validate(accessKeyId, token)?.FunctionArn : null;
    }

    /// <summary>The access key id of a request that passed <see cref="Verify"/> (from its Authorization header or presigned query).</summary>
    public static string? AccessKeyOf(HttpRequest request) =>
        TryParse(request.Headers.Authorization.ToString(), out var credential, out _, out _) ? credential.Split('/')[0]
        : request.Query["X-Amz-Credential"].ToString() is { Length: > 0 } query ? query.Split('/')[0]
        : null;

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

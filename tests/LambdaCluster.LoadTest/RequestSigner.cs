using System.Globalization;
using System.Net.Http.Headers;
using LambdaCluster.Gateway.Auth;

namespace LambdaCluster.LoadTest;

/// <summary>Builds signed Invoke requests as the SDKs do (SigV4, service lambda). The payload hash is computed once.</summary>
public sealed class RequestSigner(LoadOptions options, byte[] payload)
{
    private readonly string _payloadHash = SigV4.PayloadHash(payload);

    public HttpRequestMessage Invoke(Uri endpoint, string rawPath, TimeProvider time)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, rawPath)) { Content = new ByteArrayContent(payload) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (options.RawPath is not null)
        {
            return request;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var amzDate = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var host = endpoint.IsDefaultPort ? endpoint.Host : $"{endpoint.Host}:{endpoint.Port}";
        (string, string)[] signed = [("host", host), ("x-amz-content-sha256", _payloadHash), ("x-amz-date", amzDate)];
        var scope = $"{date}/{options.Region}/lambda/aws4_request";
        var canonical = SigV4.CanonicalRequest("POST", rawPath, "", signed, _payloadHash);
        var signature = SigV4.Signature(options.SecretKey, date, options.Region, "lambda", SigV4.StringToSign(amzDate, scope, canonical));
        request.Headers.TryAddWithoutValidation("x-amz-date", amzDate);
        request.Headers.TryAddWithoutValidation("x-amz-content-sha256", _payloadHash);
        request.Headers.TryAddWithoutValidation("Authorization", $"{SigV4.Algorithm} Credential={options.AccessKey}/{scope}, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={signature}");
        return request;
    }
}

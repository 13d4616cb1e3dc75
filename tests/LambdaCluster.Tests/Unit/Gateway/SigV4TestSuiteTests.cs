using LambdaCluster.Gateway.Auth;
using LambdaCluster.Grains.Credentials;
using LambdaCluster.Grains.Storage;
using LambdaCluster.Runtimes.Hosting;
using LambdaCluster.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Xunit;

namespace LambdaCluster.Tests.Unit.Gateway;

/// <summary>
/// AWS's published Signature Version 4 test suite (docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html:
/// key AKIDEXAMPLE, region us-east-1, service "service", 2015-08-30T12:36:00Z): each request, signed as the suite
/// signs it, is accepted by the gateway's verifier, and the canonical request it builds is the suite's.
/// </summary>
[Trait("Category", "Unit")]
public sealed class SigV4TestSuiteTests
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string Credential = "AKIDEXAMPLE/20150830/us-east-1/service/aws4_request";
    private const string Empty = SigV4.EmptyPayloadHash;

    public static TheoryData<string, string, string, string[], string, string> Vectors => new()
    {
        // name, method, request target, extra headers ("Name:value", in the order sent), canonical request, signature
        { "get-vanilla", "GET", "/", [], $"GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n{Empty}", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31" },
        { "get-vanilla-query-order-key-case", "GET", "/?Param2=value2&Param1=value1", [], $"GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n{Empty}", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500" },
        { "get-vanilla-query-order-key", "GET", "/?Param1=value2&Param1=Value1", [], $"GET\n/\nParam1=Value1&Param1=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n{Empty}", "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1" },
        { "get-vanilla-query-order-value", "GET", "/?Param1=value2&Param1=value1", [], $"GET\n/\nParam1=value1&Param1=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n{Empty}", "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694" },
        { "get-vanilla-empty-query-key", "GET", "/?Param1=value1", [], $"GET\n/\nParam1=value1\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n{Empty}", "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb" },
        { "get-vanilla-query-unreserved", "GET", "/?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", [],
            $"GET\n/\n-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n{Empty}",
            "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197" },
        { "get-unreserved", "GET", "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", [],
            $"GET\n/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n{Empty}", "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f" },
        { "post-vanilla", "POST", "/", [], $"POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n{Empty}", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b" },
        { "post-vanilla-query", "POST", "/?Param1=value1", [], $"POST\n/\nParam1=value1\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n{Empty}", "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11" },
        { "post-header-key-sort", "POST", "/", ["My-Header1:value1"], $"POST\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nx-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\n{Empty}", "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c" },
        { "post-header-value-case", "POST", "/", ["My-Header1:VALUE1"], $"POST\n/\n\nhost:example.amazonaws.com\nmy-header1:VALUE1\nx-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\n{Empty}", "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d" },
        { "get-header-key-duplicate", "GET", "/", ["My-Header1:value2", "My-Header1:value2", "My-Header1:value1"],
            $"GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value2,value2,value1\nx-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\n{Empty}", "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea" },
        { "get-header-value-order", "GET", "/", ["My-Header1:value4", "My-Header1:value1", "My-Header1:value3", "My-Header1:value2"],
            $"GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value4,value1,value3,value2\nx-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\n{Empty}", "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01" },
        { "get-header-value-trim", "GET", "/", ["My-Header1: value1", "My-Header2: \"a   b   c\""],
            $"GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b c\"\nx-amz-date:20150830T123600Z\n\nhost;my-header1;my-header2;x-amz-date\n{Empty}", "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736" },
        { "normalize-path/get-relative", "GET", "/example/..", [], $"GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n{Empty}", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31" },
        { "normalize-path/get-relative-relative", "GET", "/example1/example2/../..", [], $"GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n{Empty}", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31" },
        { "normalize-path/get-slash", "GET", "//", [], $"GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n{Empty}", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31" },
        { "normalize-path/get-slash-dot-slash", "GET", "/./", [], $"GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n{Empty}", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31" },
        { "normalize-path/get-slash-pointless-dot", "GET", "/./example", [], $"GET\n/example\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n{Empty}", "ef75d96142cf21edca26f06005da7988e4f8dc83a165a80865db7089db637ec5" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void SuiteRequest_IsAccepted_WithTheSuitesCanonicalRequest(string name, string method, string target, string[] headers, string canonical, string signature)
    {
        var (request, signedHeaders) = Request(method, target, headers, signature);

        Assert.True(Verifier().Verify(request, [], "service") is null, $"{name} was refused");
        var queryStart = target.IndexOf('?', StringComparison.Ordinal);
        var built = SigV4.CanonicalRequest(method, queryStart < 0 ? target : target[..queryStart], queryStart < 0 ? "" : target[(queryStart + 1)..],
            [.. signedHeaders.Select(h => (h, string.Join(',', request.Headers[h].Select(v => v ?? ""))))], Empty);
        Assert.Equal(canonical, built);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void SuiteRequest_WithAnotherSignature_IsRefused(string name, string method, string target, string[] headers, string canonical, string signature)
    {
        _ = canonical;
        var (request, _) = Request(method, target, headers, signature[..^1] + (signature[^1] == '0' ? '1' : '0'));

        Assert.Equal("InvalidSignatureException", Verifier().Verify(request, [], "service")?.Code);
        _ = name;
    }

    /// <summary>post-sts-token/post-sts-header-before: the session token is one of the signed headers.</summary>
    [Fact]
    public void SessionTokenSignedAsAHeader_GivesTheSuitesSignature()
    {
        const string token = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";
        var canonical = SigV4.CanonicalRequest("POST", "/", "", [("host", "example.amazonaws.com"), ("x-amz-date", "20150830T123600Z"), ("x-amz-security-token", token)], Empty);
        var stringToSign = SigV4.StringToSign("20150830T123600Z", "20150830/us-east-1/service/aws4_request", canonical);

        Assert.EndsWith("c237e1b440d4c63c32ca95b5b99481081cb7b13c7e40434868e71567c1a882f6", stringToSign, StringComparison.Ordinal);
        Assert.Equal("85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead", SigV4.Signature(Secret, "20150830", "us-east-1", "service", stringToSign));
    }

    private static (HttpRequest Request, List<string> SignedHeaders) Request(string method, string target, string[] headers, string signature)
    {
        var context = new DefaultHttpContext();
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = target;
        var request = context.Request;
        request.Method = method;
        request.Headers.Host = "example.amazonaws.com";
        foreach (var header in headers)
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            var (name, value) = (header[..colon], header[(colon + 1)..].Trim()); // a server trims a field's surrounding whitespace
            request.Headers[name] = StringValues.Concat(request.Headers[name], value);
        }

        request.Headers["X-Amz-Date"] = "20150830T123600Z";
        var signedHeaders = new[] { "host", "x-amz-date" }.Concat(headers.Select(h => h[..h.IndexOf(':', StringComparison.Ordinal)].ToLowerInvariant())).Distinct().Order(StringComparer.Ordinal).ToList();
        request.Headers.Authorization = $"{SigV4.Algorithm} Credential={Credential}, SignedHeaders={string.Join(';', signedHeaders)}, Signature={signature}";
        return (request, signedHeaders);
    }

    private static SigV4Verifier Verifier()
    {
        var time = new ManualTime();
        time.Advance(new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero) - time.GetUtcNow());
        var auth = new AuthOptions { Credentials = [new AccessKey { AccessKeyId = "AKIDEXAMPLE", SecretAccessKey = Secret }] };
        var node = Options.Create(new NodeOptions { Region = "us-east-1" });
        var sessions = new FunctionCredentials(new StateKey(Options.Create(new StateEncryptionOptions { Key = Convert.ToBase64String(new byte[32]) }), node, Options.Create(new ClusterModeOptions()), null!), time);
        return new SigV4Verifier(new StaticOptionsMonitor<AuthOptions>(auth), node, sessions, time);
    }

    private sealed class StaticOptionsMonitor<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}

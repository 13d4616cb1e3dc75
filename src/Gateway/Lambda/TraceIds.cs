using System.Globalization;
using System.Security.Cryptography;

namespace LambdaCluster.Gateway.Lambda;

/// <summary>X-Ray trace headers as Lambda hands them to runtimes: <c>Root=1-{epoch hex}-{24 hex};Parent={16 hex};Sampled=0</c>.</summary>
public static class TraceIds
{
    public static string New(DateTimeOffset now)
    {
        Span<byte> random = stackalloc byte[20];
        RandomNumberGenerator.Fill(random);
        var hex = Convert.ToHexStringLower(random);
        return string.Create(CultureInfo.InvariantCulture, $"Root=1-{now.ToUnixTimeSeconds():x8}-{hex[..24]};Parent={hex[24..40]};Sampled=0");
    }
}

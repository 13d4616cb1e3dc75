using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace LambdaCluster.Runtimes.Invocation;

/// <summary>X-Ray trace headers as Lambda hands them to runtimes: <c>Root=1-{8 hex}-{24 hex};Parent={16 hex};Sampled=0|1</c>.</summary>
public static class TraceIds
{
    /// <summary>
    /// The caller's X-Amzn-Trace-Id when it sent one (Lambda continues the caller's trace); else the current
    /// OpenTelemetry trace in X-Ray form (its 32 hex digits split 8 + 24, as X-Ray maps W3C ids), so the id the
    /// function sees in <c>_X_AMZN_TRACE_ID</c> is the one the cluster's own spans carry; else a new one.
    /// </summary>
    public static string For(string? callerHeader, Activity? activity, DateTimeOffset now)
    {
        if (callerHeader is not null && callerHeader.StartsWith("Root=1-", StringComparison.Ordinal) && callerHeader.Length <= 256)
        {
            return callerHeader;
        }

        if (activity is not null && activity.IdFormat == ActivityIdFormat.W3C)
        {
            var trace = activity.TraceId.ToHexString();
            return $"Root=1-{trace[..8]}-{trace[8..]};Parent={activity.SpanId.ToHexString()};Sampled={(activity.Recorded ? 1 : 0)}";
        }

        return New(now);
    }

    public static string New(DateTimeOffset now)
    {
        Span<byte> random = stackalloc byte[20];
        RandomNumberGenerator.Fill(random);
        var hex = Convert.ToHexStringLower(random);
        return string.Create(CultureInfo.InvariantCulture, $"Root=1-{now.ToUnixTimeSeconds():x8}-{hex[..24]};Parent={hex[24..40]};Sampled=0");
    }
}
